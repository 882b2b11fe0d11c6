package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExecutorPlacementTest {
    /** Names and addresses as a small cluster's DNS would answer; everything else does not resolve. */
    private static final Map<String, List<String>> DNS = Map.of(
            "nm-a.example.com", List.of("10.0.0.1"),
            "nm-b.example.com", List.of("10.0.0.2", "192.168.0.2"),
            "dn-b-storage.example.com", List.of("192.168.0.2"),
            "storage-only.example.com", List.of("10.0.0.9"));

    private final NodeDirectory nodes =
            NodeDirectory.of(List.of("nm-a.example.com", "nm-b.example.com"), h -> DNS.getOrDefault(h, List.of()));

    private static List<String> nodesOf(List<ExecutorPlacement.Request> plan) {
        return plan.stream().map(ExecutorPlacement.Request::node).toList();
    }

    @Test
    void aHostMatchesTheNodeManagerWithItsNameOrOneOfItsAddresses() {
        assertEquals("nm-a.example.com", nodes.nodeOf("NM-A.example.com."), "case and a trailing dot do not matter");
        assertEquals("nm-a.example.com", nodes.nodeOf("10.0.0.1"), "a DataNode registered by IP");
        assertEquals("nm-b.example.com", nodes.nodeOf("192.168.0.2"), "the second address of a multi-homed node");
        assertEquals("nm-b.example.com", nodes.nodeOf("dn-b-storage.example.com"), "another name of the same host");
        assertNull(nodes.nodeOf("storage-only.example.com"), "a host without a NodeManager");
        assertNull(nodes.nodeOf("unknown.invalid"), "a name that does not resolve");
    }

    @Test
    void plansStrictRequestsOnTheNodesWithTheMostPendingTasksThenAnywhere() {
        Map<String, Integer> tasks = new LinkedHashMap<>();
        tasks.put("10.0.0.2", 2); // nm-b by address
        tasks.put("nm-b.example.com", 1);
        tasks.put("nm-a.example.com", 3);
        tasks.put("zero.example.com", 0);
        // 2 cores per executor: nm-a and nm-b have 3 each (by name on the tie), then 1 each.
        List<ExecutorPlacement.Request> plan = ExecutorPlacement.plan(tasks, nodes, 5, 2);
        assertEquals(
                Arrays.asList("nm-a.example.com", "nm-b.example.com", "nm-a.example.com", "nm-b.example.com", null),
                nodesOf(plan));
        assertTrue(plan.get(1).reason().contains("3 pending tasks"), plan.get(1).reason());
        assertTrue(plan.get(1).reason().contains("10.0.0.2"), "names the data's own host name: " + plan.get(1));
        assertEquals(
                "every preferred NodeManager already has executors asked for",
                plan.get(4).reason());
    }

    @Test
    void tasksOnHostsWithoutANodeManagerGetRequestsAnywhereAtOnce() {
        List<ExecutorPlacement.Request> plan =
                ExecutorPlacement.plan(Map.of("storage-only.example.com", 4, "10.0.0.1", 1), nodes, 3, 2);
        assertEquals(Arrays.asList("nm-a.example.com", null, null), nodesOf(plan));
        assertTrue(
                plan.get(1).reason().startsWith("4 pending tasks prefer hosts that run no NodeManager"),
                plan.get(1).reason());
        assertTrue(plan.get(1).reason().contains("storage-only.example.com"));

        assertEquals(Arrays.asList(null, null), nodesOf(ExecutorPlacement.plan(Map.of(), nodes, 2, 4)));
        assertEquals(
                "no pending task prefers a host",
                ExecutorPlacement.plan(Map.of(), nodes, 1, 4).get(0).reason());
    }

    @Test
    void refusesNonsense() {
        assertThrows(IllegalArgumentException.class, () -> ExecutorPlacement.plan(Map.of(), nodes, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> ExecutorPlacement.plan(Map.of(), nodes, 1, 0));
    }
}
