package dev.weft.scheduler;

import dev.weft.events.ExclusionScope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Counts task failures per executor and per node over a sliding window and remembers which are excluded until when
 * ({@link ExclusionPolicy}). It only counts and remembers: the {@link TaskScheduler} decides whether a due exclusion
 * is applied (it never excludes the whole cluster) and what follows from it.
 *
 * <p>Times are on the scheduler's monotonic clock (nanoseconds). Threading: scheduler thread only; not thread-safe.
 */
final class ExclusionTracker {
    /** What one counted failure made due: each flag set when that limit was reached and the target is not excluded. */
    record Due(boolean executor, boolean node) {
        static final Due NOTHING = new Due(false, false);
    }

    /** One exclusion that ended. */
    record Expired(ExclusionScope scope, String target) {}

    private final ExclusionPolicy policy;
    private final Map<String, Deque<Long>> executorFailures = new HashMap<>();
    private final Map<String, Deque<Long>> nodeFailures = new HashMap<>();
    /** Excluded executors and nodes, each with the time its exclusion ends. */
    private final Map<String, Long> executorsUntil = new HashMap<>();

    private final Map<String, Long> nodesUntil = new HashMap<>();

    ExclusionTracker(ExclusionPolicy policy) {
        this.policy = policy;
    }

    boolean enabled() {
        return policy.enabled();
    }

    /** Records a counted failure of an attempt on {@code executorId} on {@code host} at {@code now}. */
    Due failed(String executorId, String host, long now) {
        if (!policy.enabled()) {
            return Due.NOTHING;
        }
        boolean executorDue = !executorsUntil.containsKey(executorId)
                && count(executorFailures, executorId, now) >= policy.executorFailures();
        boolean nodeDue = host != null
                && !nodesUntil.containsKey(host)
                && count(nodeFailures, host, now) >= policy.nodeFailures();
        return new Due(executorDue, nodeDue);
    }

    /** Adds one failure at {@code now} to {@code key}'s history, drops those older than the window, returns the count. */
    private int count(Map<String, Deque<Long>> histories, String key, long now) {
        Deque<Long> times = histories.computeIfAbsent(key, k -> new ArrayDeque<>());
        times.addLast(now);
        while (!times.isEmpty() && now - times.peekFirst() > policy.windowNanos()) {
            times.pollFirst();
        }
        return times.size();
    }

    /** How many failures {@code key} has within the window (for messages). */
    int recentFailures(ExclusionScope scope, String key) {
        Deque<Long> times = (scope == ExclusionScope.EXECUTOR ? executorFailures : nodeFailures).get(key);
        return times == null ? 0 : times.size();
    }

    /** Excludes {@code target} until {@code now} plus the timeout, and forgets its failures; returns that end. */
    long exclude(ExclusionScope scope, String target, long now) {
        long until = now + policy.timeoutNanos();
        if (scope == ExclusionScope.EXECUTOR) {
            executorsUntil.put(target, until);
            executorFailures.remove(target);
        } else {
            nodesUntil.put(target, until);
            nodeFailures.remove(target);
        }
        return until;
    }

    boolean isExcluded(String executorId, String host) {
        return executorsUntil.containsKey(executorId) || (host != null && nodesUntil.containsKey(host));
    }

    boolean isNodeExcluded(String host) {
        return nodesUntil.containsKey(host);
    }

    Set<String> excludedNodes() {
        return Set.copyOf(nodesUntil.keySet());
    }

    /** Ends the exclusions due by {@code now}, nodes first; the caller re-admits what they covered. */
    List<Expired> expire(long now) {
        List<Expired> out = new ArrayList<>();
        expire(nodesUntil, ExclusionScope.NODE, now, out);
        expire(executorsUntil, ExclusionScope.EXECUTOR, now, out);
        return out;
    }

    private static void expire(Map<String, Long> until, ExclusionScope scope, long now, List<Expired> out) {
        until.entrySet().removeIf(e -> {
            if (now - e.getValue() >= 0) {
                out.add(new Expired(scope, e.getKey()));
                return true;
            }
            return false;
        });
    }

    /** When the next exclusion ends, or {@link Long#MAX_VALUE} when none is in force. */
    long nextExpiryNanos() {
        long next = Long.MAX_VALUE;
        for (long t : executorsUntil.values()) {
            next = Math.min(next, t);
        }
        for (long t : nodesUntil.values()) {
            next = Math.min(next, t);
        }
        return next;
    }

    /** An executor that is gone cannot fail again: its history and exclusion are dropped (its node's stay). */
    void executorGone(String executorId) {
        executorFailures.remove(executorId);
        executorsUntil.remove(executorId);
    }
}
