package dev.weft.executor.shuffle;

import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleCorruptionException;
import dev.weft.transport.BlockCorruptionException;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.TransportException;
import dev.weft.transport.client.BlockClient;
import dev.weft.transport.client.FetchedBlock;
import dev.weft.transport.client.TransportClientFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Fetches another executor's block over the shuffle transport, from the server named in its map status (the
 * NodeManager's shuffle service, or the writing executor), on the factory's pooled connection to that server. The
 * transport verifies the block's CRC32C; a mismatch fails the future with {@link ShuffleCorruptionException}, a server
 * that cannot be reached with {@link ConnectException}, anything else with the transport's IOException. Blocks arrive
 * as heap copies (the transport releases its Netty buffers itself), so a cancelled or dropped fetch holds nothing.
 *
 * <p>Thread-safe and non-blocking; futures complete on the transport's event loops.
 */
public final class TransportBlockFetcher implements RemoteBlockFetcher {
    private final TransportClientFactory clients;
    private final String appId;
    private final byte[] secret;

    public TransportBlockFetcher(TransportClientFactory clients, String appId, byte[] secret) {
        this.clients = Objects.requireNonNull(clients, "clients is null");
        this.appId = Objects.requireNonNull(appId, "appId is null");
        this.secret = Objects.requireNonNull(secret, "secret is null").clone();
    }

    @Override
    public CompletableFuture<InputStream> fetch(MapStatus status, int reduceId) {
        CompletableFuture<InputStream> result = new CompletableFuture<>();
        if (status.location().port() < 0) {
            result.completeExceptionally(new IOException("no shuffle server is known for " + status.location()));
            return result;
        }
        // Output recovered from an earlier driver attempt belongs to that attempt's executor application.
        String owner =
                status.location().appId().isEmpty() ? appId : status.location().appId();
        clients.pooledAsync(status.location().host(), status.location().port(), owner, secret)
                .whenComplete((client, error) -> {
                    if (error != null) {
                        result.completeExceptionally(connectFailure(status, unwrap(error)));
                    } else {
                        fetchOn(client, status, reduceId, result);
                    }
                });
        return result;
    }

    private static void fetchOn(
            BlockClient client, MapStatus status, int reduceId, CompletableFuture<InputStream> result) {
        if (result.isDone()) {
            return; // cancelled while connecting
        }
        CompletableFuture<List<FetchedBlock>> fetch =
                client.fetch(status.shuffleId(), status.mapId(), status.attemptId(), reduceId);
        // Cancelling ours cancels the transport's: it then drains the block's bytes instead of keeping them.
        result.whenComplete((stream, error) -> {
            if (result.isCancelled()) {
                fetch.cancel(false);
            }
        });
        fetch.whenComplete((blocks, error) -> {
            if (error != null) {
                result.completeExceptionally(fetchFailure(unwrap(error)));
            } else {
                FetchedBlock block = blocks.get(0);
                try {
                    InputStream in = block.openStream();
                    if (!result.complete(in)) {
                        in.close(); // abandoned meanwhile: a block on disk is deleted by the close
                    }
                } catch (IOException e) {
                    block.discard();
                    result.completeExceptionally(e);
                }
            }
        });
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static IOException connectFailure(MapStatus status, Throwable cause) {
        if (cause instanceof TransportException te
                && te.code() != ErrorCode.CONNECTION_LOST
                && te.code() != ErrorCode.TIMEOUT) {
            return te; // e.g. authentication refused: the server is there
        }
        // The whole server is gone: the scheduler then forgets every output it served, not just this one.
        ConnectException ce = new ConnectException(
                "cannot reach the shuffle server at " + status.location() + ": " + cause.getMessage());
        ce.initCause(cause);
        return ce;
    }

    private static IOException fetchFailure(Throwable cause) {
        if (cause instanceof BlockCorruptionException bce) {
            ShuffleCorruptionException e = new ShuffleCorruptionException(bce.getMessage());
            e.initCause(bce);
            return e;
        }
        if (cause instanceof IOException io) {
            return io;
        }
        return new IOException(String.valueOf(cause), cause);
    }
}
