package dev.weft.transport.server;

import dev.weft.transport.BlockResolver;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.FileSegment;
import dev.weft.transport.TransportException;
import dev.weft.transport.proto.FetchBlocks;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves and opens all blocks of one request, all or nothing. Runs on a disk thread (it does blocking file I/O),
 * never on an event loop. Stateless apart from the resolver; thread-safe if the resolver is.
 */
final class BlockOpener {
    private final BlockResolver resolver;

    BlockOpener(BlockResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * @return one open block per requested reduce id, in request order; the caller owns their channels
     * @throws TransportException with the code to send; nothing stays open then
     */
    List<OpenBlock> open(String appId, FetchBlocks request) throws TransportException {
        List<OpenBlock> opened = new ArrayList<>(request.getReduceIdsCount());
        try {
            for (int reduceId : request.getReduceIdsList()) {
                FileSegment segment = resolver.resolve(
                        appId, request.getShuffleId(), request.getMapId(), request.getAttemptId(), reduceId);
                opened.add(open(reduceId, segment));
            }
            return opened;
        } catch (TransportException e) {
            closeAll(opened);
            throw e;
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw new TransportException(
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
    }

    private static OpenBlock open(int reduceId, FileSegment segment) throws IOException {
        if (segment.length() == 0) {
            return new OpenBlock(reduceId, null, 0, 0, segment.crc32c());
        }
        FileChannel channel = FileChannel.open(segment.file(), StandardOpenOption.READ);
        try {
            long size = channel.size();
            if (segment.offset() + segment.length() > size) {
                throw new IOException(String.format(
                        Locale.ROOT,
                        "%s has %d bytes, segment ends at %d",
                        segment.file(),
                        size,
                        segment.offset() + segment.length()));
            }
            return new OpenBlock(reduceId, channel, segment.offset(), segment.length(), segment.crc32c());
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    static void closeAll(List<OpenBlock> blocks) {
        for (OpenBlock block : blocks) {
            if (block.channel() != null) {
                try {
                    block.channel().close();
                } catch (IOException ignored) {
                    // Read-only channel: nothing to lose.
                }
            }
        }
    }
}
