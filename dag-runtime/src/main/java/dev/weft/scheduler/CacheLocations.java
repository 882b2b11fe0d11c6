package dev.weft.scheduler;

import dev.weft.storage.BlockManager.BlockId;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The driver's record of which executor caches which partition, learnt from successful tasks
 * ({@link dev.weft.task.TaskOutcome.Success#cachedBlocks()}) and forgotten when the executor is lost or the
 * dataset unpersisted. It may be stale in one direction only: a block listed here can be gone (an executor
 * replaced it), which costs a recomputation on that executor, never a wrong result.
 *
 * <p>Threading: owned by the scheduler thread.
 */
final class CacheLocations {
    /** Block to (executor id to host), in the order the executors reported it. */
    private final Map<BlockId, Map<String, String>> blocks = new HashMap<>();

    void add(String executorId, String host, Collection<BlockId> cached) {
        for (BlockId b : cached) {
            blocks.computeIfAbsent(b, k -> new LinkedHashMap<>()).put(executorId, host);
        }
    }

    void executorLost(String executorId) {
        blocks.values().removeIf(locations -> {
            locations.remove(executorId);
            return locations.isEmpty();
        });
    }

    void datasetRemoved(int nodeId) {
        blocks.keySet().removeIf(b -> b.nodeId() == nodeId);
    }

    /** Every executor caching at least one block. */
    java.util.Set<String> executors() {
        java.util.Set<String> out = new java.util.HashSet<>();
        blocks.values().forEach(m -> out.addAll(m.keySet()));
        return out;
    }

    /** Executor id to host of every executor caching the partition; empty when none does. */
    Map<String, String> executorsCaching(int nodeId, int partition) {
        Map<String, String> m = blocks.get(new BlockId(nodeId, partition));
        // Insertion order (the order executors reported the block), so preferences are deterministic.
        return m == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }
}
