package dev.weft.scheduler;

import dev.weft.plan.Dependency;
import dev.weft.plan.NarrowDependency;
import dev.weft.plan.Node;
import dev.weft.plan.ShuffleDependency;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;

/**
 * A shuffle as a restarted driver recognises it: the same program, run again from its {@code main}, builds the same
 * shuffles in the same order, so an earlier attempt's completed map outputs can stand in for this attempt's. Two
 * shuffles match only if their ids, map and reduce counts and the fingerprint of the lineage that writes them (each
 * node's kind, call site and partition count, down to the parent shuffles, and the partitioner and ordering) are
 * equal; a program that builds something else at that point (it read a different input listing, say) gets a
 * different fingerprint, and its shuffle is computed afresh.
 *
 * @param fingerprint SHA-256 (hex) of the lineage's description
 * @param callSite    where the program created the shuffle, for messages
 */
public record ShuffleLineage(int shuffleId, int numMaps, int numReduces, String fingerprint, String callSite) {
    public ShuffleLineage {
        if (shuffleId < 0 || numMaps < 0 || numReduces < 0) {
            throw new IllegalArgumentException(
                    "negative shuffle id or count: " + shuffleId + ", " + numMaps + ", " + numReduces);
        }
        Objects.requireNonNull(fingerprint, "fingerprint is null");
        Objects.requireNonNull(callSite, "callSite is null");
    }

    /** The lineage of {@code dep}, as this program built it. */
    public static ShuffleLineage of(ShuffleDependency dep) {
        StringBuilder desc = new StringBuilder();
        desc.append("shuffle ")
                .append(dep.shuffleId())
                .append(' ')
                .append(dep.spec().partitioner().getClass().getName())
                .append('/')
                .append(dep.spec().numPartitions())
                .append(' ')
                .append(dep.spec().ordering())
                .append(dep.spec().descending() ? " desc" : "")
                .append(dep.spec().mapSideCombine() ? " combine" : "")
                .append('\n');
        describe(dep.parent(), desc);
        return new ShuffleLineage(
                dep.shuffleId(),
                dep.parent().numPartitions(),
                dep.spec().numPartitions(),
                sha256(desc.toString()),
                dep.parent().callSite());
    }

    /**
     * The fingerprint of the lineage that computes {@code node} (its kind, call site and partition count and those
     * of every node it reads within its stage, and the ids of the shuffles it reads), for recognising a dataset a
     * restarted program builds again.
     */
    public static String fingerprint(Node<?> node) {
        StringBuilder desc = new StringBuilder();
        describe(node, desc);
        return sha256(desc.toString());
    }

    private static void describe(Node<?> top, StringBuilder desc) {
        Set<Integer> seen = new HashSet<>();
        Deque<Node<?>> todo = new ArrayDeque<>();
        todo.push(top);
        while (!todo.isEmpty()) {
            Node<?> n = todo.pop();
            if (!seen.add(n.id())) {
                continue;
            }
            desc.append(n.getClass().getSimpleName())
                    .append(' ')
                    .append(n.callSite())
                    .append(' ')
                    .append(n.numPartitions())
                    .append('\n');
            for (Dependency d : n.dependencies()) {
                if (d instanceof ShuffleDependency sd) {
                    desc.append("reads shuffle ").append(sd.shuffleId()).append('\n');
                } else {
                    todo.push(((NarrowDependency) d).parent());
                }
            }
        }
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return "shuffle " + shuffleId + " (" + callSite + ", " + numMaps + " maps, " + numReduces + " reduces)";
    }
}
