package dev.weft.executor;

import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.rpc.DriverClient;
import dev.weft.executor.rpc.DriverRequestException;
import dev.weft.serde.RecordInput;
import dev.weft.serde.ValueSerializer;
import dev.weft.storage.BroadcastResolver;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Fetches each broadcast value from the driver once and keeps it for the executor's lifetime; tasks asking
 * for the same id concurrently share one request. A failed fetch is not cached, so a later task retries.
 *
 * <p>Thread-safe; the first task asking for an id blocks up to the ask timeout. Values are deserialized on
 * the task thread that fetched them, so user classes resolve through that thread's context class loader.
 */
final class RemoteBroadcastResolver implements BroadcastResolver {
    private final DriverClient driver;
    private final Map<Long, CompletableFuture<Object>> values = new ConcurrentHashMap<>();

    RemoteBroadcastResolver(DriverClient driver) {
        this.driver = driver;
    }

    @Override
    public Object value(long broadcastId) {
        CompletableFuture<Object> mine = new CompletableFuture<>();
        CompletableFuture<Object> existing = values.putIfAbsent(broadcastId, mine);
        if (existing == null) {
            fetch(broadcastId, mine);
            existing = mine;
        }
        try {
            return existing.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof DriverRequestException d && d.code() == ErrorCode.UNKNOWN_BROADCAST) {
                // The same type and message as BroadcastStore's local resolver.
                throw new IllegalStateException("broadcast " + broadcastId + " is unknown or was destroyed", d);
            }
            throw new IllegalStateException(
                    "cannot fetch broadcast " + broadcastId + " from the driver: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching broadcast " + broadcastId, e);
        }
    }

    private void fetch(long broadcastId, CompletableFuture<Object> result) {
        try {
            byte[] bytes = driver.broadcast(broadcastId).get();
            result.complete(ValueSerializer.INSTANCE.read(new RecordInput(bytes)));
        } catch (ExecutionException e) {
            values.remove(broadcastId, result);
            result.completeExceptionally(e.getCause());
        } catch (InterruptedException | RuntimeException e) {
            values.remove(broadcastId, result);
            result.completeExceptionally(e);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
