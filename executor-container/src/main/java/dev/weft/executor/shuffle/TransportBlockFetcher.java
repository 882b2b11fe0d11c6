package dev.weft.executor.shuffle;

import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;
import dev.weft.shuffle.ShuffleCorruptionException;
import dev.weft.transport.BlockCorruptionException;
import dev.weft.transport.client.BlockClient;
import dev.weft.transport.client.FetchedBlock;
import dev.weft.transport.client.TransportClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches another executor's block over the shuffle transport, from the server named in its map status
 * (the NodeManager's shuffle service, or the writing executor). The transport verifies the block's CRC32C;
 * a mismatch surfaces as {@link ShuffleCorruptionException}, every other failure as an IOException, which
 * the shuffle reader turns into a fetch failure for that map output. Thread-safe.
 */
final class TransportBlockFetcher implements RemoteBlockFetcher {
    private static final long TIMEOUT_SECONDS = 120;

    private final TransportClientFactory clients;
    private final String appId;
    private final byte[] secret;

    TransportBlockFetcher(TransportClientFactory clients, String appId, byte[] secret) {
        this.clients = Objects.requireNonNull(clients, "clients is null");
        this.appId = Objects.requireNonNull(appId, "appId is null");
        this.secret = secret.clone();
    }

    @Override
    public ShuffleBlockSource fetch(MapStatus status, int reduceId) {
        return new ShuffleBlockSource() {
            @Override
            public int mapId() {
                return status.mapId();
            }

            @Override
            public long mapAttemptId() {
                return status.attemptId();
            }

            @Override
            public String location() {
                return status.location().toString();
            }

            @Override
            public InputStream open() throws IOException {
                return fetchNow(status, reduceId);
            }
        };
    }

    private InputStream fetchNow(MapStatus status, int reduceId) throws IOException {
        if (status.location().port() < 0) {
            throw new IOException("no shuffle server is known for " + status.location());
        }
        BlockClient client;
        try {
            client = clients.pooled(status.location().host(), status.location().port(), appId, secret);
        } catch (dev.weft.transport.TransportException e) {
            if (e.code() != dev.weft.transport.ErrorCode.CONNECTION_LOST
                    && e.code() != dev.weft.transport.ErrorCode.TIMEOUT) {
                throw e;
            }
            // The whole server is gone: the scheduler then forgets every output it served, not just this one.
            java.net.ConnectException ce = new java.net.ConnectException(
                    "cannot reach the shuffle server at " + status.location() + ": " + e.getMessage());
            ce.initCause(e);
            throw ce;
        }
        try {
            List<FetchedBlock> blocks = client.fetch(status.shuffleId(), status.mapId(), status.attemptId(), reduceId)
                    .get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            return blocks.get(0).openStream();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof BlockCorruptionException bce) {
                throw new ShuffleCorruptionException(bce.getMessage());
            }
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(c), c);
        } catch (TimeoutException e) {
            throw new IOException("fetch from " + status.location() + " timed out after " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching from " + status.location(), e);
        }
    }
}
