package dev.weft.scheduler;

import dev.weft.plan.Dependency;
import dev.weft.plan.NarrowDependency;
import dev.weft.plan.Node;
import dev.weft.plan.Split;
import dev.weft.plan.StorageLevel;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where a task computing one split of a stage's final node would like to run, found by walking the narrow
 * dependencies inside the stage (like Spark's {@code getPreferredLocs}):
 * <ol>
 *   <li>executors caching the split of a persisted node on the way down (PROCESS_LOCAL, and their hosts as
 *       NODE_LOCAL): reading a cached partition skips the lineage below it, so the cache wins over input
 *       hosts further down;</li>
 *   <li>otherwise the first node on the way down with {@link Node#preferredHosts} for its split (input
 *       blocks), following {@link Node#narrowParentSplits} to the parent splits a split reads.</li>
 * </ol>
 * The walk stops at shuffle dependencies and checkpointed nodes (which have no dependencies).
 *
 * <p>Threading: scheduler thread only (reads {@link CacheLocations}).
 */
final class PreferredLocations {
    private final CacheLocations cache;

    PreferredLocations(CacheLocations cache) {
        this.cache = cache;
    }

    TaskSet.Preferences of(Node<?> node, Split split) {
        Map<String, String> cached = findCached(node, split, new HashSet<>());
        if (!cached.isEmpty()) {
            return new TaskSet.Preferences(
                    List.copyOf(cached.keySet()), List.copyOf(new LinkedHashSet<>(cached.values())));
        }
        return TaskSet.Preferences.onHosts(findHosts(node, split, new HashSet<>()));
    }

    private Map<String, String> findCached(Node<?> node, Split split, Set<String> visited) {
        if (!visited.add(node.id() + ":" + split.index())) {
            return Map.of(); // reached twice through a diamond (e.g. a union of a dataset with itself)
        }
        if (node.storageLevel() != StorageLevel.NONE) {
            Map<String, String> m = cache.executorsCaching(node.id(), split.index());
            if (!m.isEmpty()) {
                return m;
            }
        }
        for (Edge e : parentsOf(node, split)) {
            Map<String, String> m = findCached(e.parent(), e.split(), visited);
            if (!m.isEmpty()) {
                return m;
            }
        }
        return Map.of();
    }

    private List<String> findHosts(Node<?> node, Split split, Set<String> visited) {
        if (!visited.add(node.id() + ":" + split.index())) {
            return List.of();
        }
        List<String> own = node.preferredHosts(split);
        if (!own.isEmpty()) {
            return List.copyOf(new LinkedHashSet<>(own));
        }
        for (Edge e : parentsOf(node, split)) {
            List<String> hosts = findHosts(e.parent(), e.split(), visited);
            if (!hosts.isEmpty()) {
                return hosts;
            }
        }
        return List.of();
    }

    /** A parent split that computing a child split reads. */
    private record Edge(Node<?> parent, Split split) {}

    private static List<Edge> parentsOf(Node<?> node, Split split) {
        List<Edge> out = new ArrayList<>();
        for (Dependency d : node.dependencies()) {
            if (d instanceof NarrowDependency nd) {
                for (Split ps : node.narrowParentSplits(nd.parent(), split)) {
                    out.add(new Edge(nd.parent(), ps));
                }
            }
        }
        return out;
    }
}
