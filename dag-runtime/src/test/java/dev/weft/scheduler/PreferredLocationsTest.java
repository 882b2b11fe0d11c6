package dev.weft.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.exec.TaskContext;
import dev.weft.plan.CoalesceNode;
import dev.weft.plan.Dependency;
import dev.weft.plan.MapPartitionsNode;
import dev.weft.plan.Node;
import dev.weft.plan.Split;
import dev.weft.plan.StorageLevel;
import dev.weft.plan.UnionNode;
import dev.weft.storage.BlockManager.BlockId;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The walk from a stage's final node down its narrow dependencies to cached partitions and input hosts. */
class PreferredLocationsTest {
    /** An input whose split i is stored on host "h" + i. */
    static final class HostInput extends Node<Integer> {
        private final int n;

        HostInput(int id, int n) {
            super(id, "input", null);
            this.n = n;
        }

        record HostSplit(int index) implements Split {}

        @Override
        protected Split[] computeSplits() {
            Split[] s = new Split[n];
            for (int i = 0; i < n; i++) {
                s[i] = new HostSplit(i);
            }
            return s;
        }

        @Override
        protected List<Dependency> lineage() {
            return List.of();
        }

        @Override
        protected Iterator<Integer> compute(Split split, TaskContext ctx) {
            return Collections.emptyIterator();
        }

        @Override
        public List<String> preferredHosts(Split split) {
            return List.of("h" + split.index());
        }
    }

    private final CacheLocations cache = new CacheLocations();
    private final PreferredLocations prefs = new PreferredLocations(cache);

    private static <T> MapPartitionsNode<T, T> map(int id, Node<T> parent) {
        return new MapPartitionsNode<>(id, "map", null, parent, (i, it) -> it, true);
    }

    private TaskSet.Preferences of(Node<?> node, int partition) {
        return prefs.of(node, node.splits()[partition]);
    }

    @Test
    void inputHostsAreFoundThroughMapsUnionsAndCoalesces() {
        HostInput a = new HostInput(1, 4);
        HostInput b = new HostInput(2, 2);
        assertEquals(TaskSet.Preferences.onHosts(List.of("h3")), of(map(3, map(4, a)), 3));
        UnionNode<Integer> union = new UnionNode<>(5, "union", null, List.of(a, b));
        assertEquals(TaskSet.Preferences.onHosts(List.of("h1")), of(union, 5), "split 5 is b's split 1");
        // A coalesced split prefers the hosts of its first parent split that has any (as Spark does).
        CoalesceNode<Integer> coalesced = new CoalesceNode<>(6, "coalesce", null, map(7, a), 2);
        assertEquals(TaskSet.Preferences.onHosts(List.of("h2")), of(coalesced, 1));
    }

    @Test
    void aCachedPartitionOnTheWayDownWinsOverInputHosts() {
        HostInput a = new HostInput(1, 2);
        MapPartitionsNode<Integer, Integer> persisted = map(2, a);
        persisted.setStorageLevel(StorageLevel.MEMORY_ONLY);
        CoalesceNode<Integer> top = new CoalesceNode<>(3, "coalesce", null, map(4, persisted), 1);
        cache.add("e7", "h9", List.of(new BlockId(2, 1)));
        cache.add("e8", "h9", List.of(new BlockId(2, 1)));
        assertEquals(new TaskSet.Preferences(List.of("e7", "e8"), List.of("h9")), of(top, 0));
        assertEquals(TaskSet.Preferences.onHosts(List.of("h0")), of(map(5, persisted), 0), "partition 0 is not cached");
        // A node no longer persisted is not read from cache, whatever the driver still remembers.
        persisted.setStorageLevel(StorageLevel.NONE);
        assertEquals(TaskSet.Preferences.onHosts(List.of("h1")), of(map(6, persisted), 1));
    }
}
