package dev.weft.transport.server;

import dev.weft.transport.BlockResolver;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.ResolvedMapOutput;
import dev.weft.transport.TransportException;
import dev.weft.transport.proto.FetchBlocks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves and opens all blocks of one request, all or nothing: the map output is resolved once (one index read),
 * and its data file opened once, under an {@link OpenFileLimits} permit, whatever the number of reduce ids. Runs on a
 * disk thread (it does blocking file I/O), never on an event loop. Thread-safe if the resolver is.
 */
final class BlockOpener {
    private final BlockResolver resolver;
    private final OpenFileLimits openFiles;

    BlockOpener(BlockResolver resolver, OpenFileLimits openFiles) {
        this.resolver = resolver;
        this.openFiles = openFiles;
    }

    /**
     * @return one open block per requested reduce id, in request order; the caller owns their references
     * @throws TransportException with the code to send; nothing stays open then, whatever was thrown (an
     *     {@link Error} included, which is rethrown after the clean-up)
     */
    List<OpenBlock> open(String appId, FetchBlocks request) throws TransportException {
        try {
            ResolvedMapOutput output =
                    resolver.resolve(appId, request.getShuffleId(), request.getMapId(), request.getAttemptId());
            List<ResolvedMapOutput.Segment> segments = new ArrayList<>(request.getReduceIdsCount());
            int nonEmpty = 0;
            for (int reduceId : request.getReduceIdsList()) {
                ResolvedMapOutput.Segment segment = output.segment(reduceId);
                segments.add(segment);
                if (segment.length() > 0) {
                    nonEmpty++;
                }
            }
            List<OpenBlock> blocks = new ArrayList<>(segments.size());
            SharedDataFile file = nonEmpty == 0 ? null : openData(appId, output, nonEmpty);
            try {
                for (int i = 0; i < segments.size(); i++) {
                    ResolvedMapOutput.Segment s = segments.get(i);
                    blocks.add(new OpenBlock(
                            request.getReduceIds(i),
                            s.length() == 0 ? null : file,
                            s.offset(),
                            s.length(),
                            s.crc32c()));
                }
            } catch (Throwable t) {
                // No reference has left this method yet: drop them all.
                for (int i = 0; i < nonEmpty; i++) {
                    file.release();
                }
                throw t;
            }
            return blocks;
        } catch (TransportException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw internal(request, e);
        }
    }

    /** Opens the data file under a permit; the permit is returned when the last block's reference is dropped. */
    private SharedDataFile openData(String appId, ResolvedMapOutput output, int references) throws IOException {
        String refused = openFiles.tryAcquire(appId);
        if (refused != null) {
            throw new TransportException(ErrorCode.BUSY, refused);
        }
        FileChannel channel = null;
        try {
            channel = output.openData();
            long size = channel.size();
            if (size < output.dataLength()) {
                throw new IOException(String.format(
                        Locale.ROOT,
                        "%s: the data file has %d bytes, its index says %d",
                        output.description(),
                        size,
                        output.dataLength()));
            }
            return new SharedDataFile(channel, references, () -> openFiles.release(appId));
        } catch (Throwable t) {
            if (channel != null) {
                try {
                    channel.close();
                } catch (IOException ignored) {
                    // Read-only channel: nothing to lose.
                }
            }
            openFiles.release(appId);
            throw t;
        }
    }

    private static TransportException internal(FetchBlocks request, Exception e) {
        return new TransportException(
                ErrorCode.INTERNAL,
                String.format(
                        Locale.ROOT,
                        "cannot read shuffle=%d map=%d attempt=%d: %s",
                        request.getShuffleId(),
                        request.getMapId(),
                        request.getAttemptId(),
                        e),
                e);
    }

    /** Drops every block's reference to its data file (blocks that will not be sent). */
    static void closeAll(List<OpenBlock> blocks) {
        for (OpenBlock block : blocks) {
            if (block.file() != null) {
                block.file().release();
            }
        }
    }
}
