package dev.weft.yarn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Where to ask for executor containers, from the hosts the pending tasks' data is on. Tasks are counted per
 * NodeManager ({@link NodeDirectory}: a DataNode named by IP counts for the NodeManager registered by name on that
 * address); the NodeManagers with the most tasks get executors first, greedily, each executor taking
 * {@code coresPerExecutor} of its node's tasks, and are asked for strictly. Tasks whose hosts run no NodeManager can
 * never be local, so their executors, and any left once every node's tasks are covered, are asked for anywhere at
 * once: waiting for a node that cannot host a container is the start-up stall this class exists to avoid.
 *
 * <p>Stateless; thread-safe.
 */
final class ExecutorPlacement {
    private ExecutorPlacement() {}

    /**
     * One executor container to ask for: on {@code node} only (strict), or anywhere when {@code node} is null.
     *
     * @param reason why, for the driver log and the {@code ExecutorRequested} event
     */
    record Request(String node, String reason) {
        Request {
            Objects.requireNonNull(reason, "reason is null");
        }

        static Request anywhere(String reason) {
            return new Request(null, reason);
        }

        boolean strict() {
            return node != null;
        }
    }

    /**
     * @param tasksByHost pending tasks per preferred host, as the scheduler's input names hosts
     * @param requests    how many executors to ask for
     */
    static List<Request> plan(
            Map<String, Integer> tasksByHost, NodeDirectory nodes, int requests, int coresPerExecutor) {
        if (requests < 0) {
            throw new IllegalArgumentException("requests is negative: " + requests);
        }
        if (coresPerExecutor < 1) {
            throw new IllegalArgumentException("coresPerExecutor must be >= 1: " + coresPerExecutor);
        }
        Map<String, Integer> tasksByNode = new TreeMap<>();
        Map<String, TreeSet<String>> namesByNode = new TreeMap<>();
        TreeSet<String> withoutNode = new TreeSet<>();
        int tasksWithoutNode = 0;
        for (Map.Entry<String, Integer> e : tasksByHost.entrySet()) {
            if (e.getValue() <= 0) {
                continue;
            }
            String node = nodes.nodeOf(e.getKey());
            if (node == null) {
                withoutNode.add(e.getKey());
                tasksWithoutNode += e.getValue();
            } else {
                tasksByNode.merge(node, e.getValue(), Integer::sum);
                namesByNode.computeIfAbsent(node, n -> new TreeSet<>()).add(e.getKey());
            }
        }
        record Demand(String node, int tasks) {}
        PriorityQueue<Demand> byDemand = new PriorityQueue<>(
                Comparator.comparingInt(Demand::tasks).reversed().thenComparing(Demand::node));
        tasksByNode.forEach((n, t) -> byDemand.add(new Demand(n, t)));
        List<Request> out = new ArrayList<>(requests);
        while (out.size() < requests) {
            Demand d = byDemand.poll();
            if (d == null) {
                break;
            }
            TreeSet<String> names = namesByNode.get(d.node());
            String dataOn = names.equals(new TreeSet<>(List.of(d.node()))) ? "" : " (data named " + names + ")";
            out.add(new Request(d.node(), d.tasks() + " pending tasks prefer this NodeManager's host" + dataOn));
            if (d.tasks() > coresPerExecutor) {
                byDemand.add(new Demand(d.node(), d.tasks() - coresPerExecutor));
            }
        }
        String rest;
        if (!withoutNode.isEmpty()) {
            rest = tasksWithoutNode + " pending tasks prefer hosts that run no NodeManager " + abbreviate(withoutNode);
        } else if (tasksByNode.isEmpty()) {
            rest = "no pending task prefers a host";
        } else {
            rest = "every preferred NodeManager already has executors asked for";
        }
        while (out.size() < requests) {
            out.add(Request.anywhere(rest));
        }
        return out;
    }

    private static String abbreviate(TreeSet<String> hosts) {
        if (hosts.size() <= 5) {
            return hosts.toString();
        }
        return new ArrayList<>(hosts).subList(0, 5) + " and " + (hosts.size() - 5) + " more";
    }
}
