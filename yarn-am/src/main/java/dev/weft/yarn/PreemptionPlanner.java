package dev.weft.yarn;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.PreemptionContainer;
import org.apache.hadoop.yarn.api.records.PreemptionContract;
import org.apache.hadoop.yarn.api.records.PreemptionMessage;
import org.apache.hadoop.yarn.api.records.StrictPreemptionContract;

/**
 * Chooses which executors to give back when the ResourceManager asks for containers (a
 * {@link PreemptionMessage} on an allocate response), so that the executor application yields them before
 * the scheduler's {@code max_wait_before_kill} instead of losing whichever it marked.
 *
 * <p>The message has two parts. A <em>strict</em> contract names containers that will be taken whatever the
 * application does: they are given back at once. A negotiable <em>contract</em> names containers too, but the
 * ResourceManager only wants their resources back: the CapacityScheduler sends only this part, naming the
 * containers its policy picked, and it looks again every monitoring interval and stops asking once the queue is
 * back within its share, so giving back other containers of the same size spares the marked ones.
 *
 * <p>The substitute must be on the marked container's node: the scheduler may have chosen the node on purpose
 * (to make room where the waiting application is reserved, or where it fits at all), and room made elsewhere can
 * leave the waiting application stuck while the policy counts it as served. Weft's executors all have one size,
 * so on each node the ask of {@code n} marked containers is met by any {@code n} executors there. The cheapest to
 * lose go first: idle executors (longest idle first), then those whose latest task started last, since they have
 * done the least work that now has to be redone.
 *
 * <p>Stateless; the caller excludes executors it already gave back.
 */
final class PreemptionPlanner {
    private PreemptionPlanner() {}

    /**
     * What one live executor is doing.
     *
     * @param node          its NodeManager ({@code NodeId} as host:port)
     * @param lastTaskStart {@link Ticker} nanos its latest task started (when it was added, if none yet)
     * @param idleSince     {@link Ticker} nanos since when it runs no task; null while it runs some
     */
    record Load(
            String executorId,
            ContainerId container,
            String node,
            int runningTasks,
            long lastTaskStart,
            Long idleSince) {
        Load {
            Objects.requireNonNull(executorId, "executorId is null");
            Objects.requireNonNull(container, "container is null");
            Objects.requireNonNull(node, "node is null");
            if (runningTasks < 0) {
                throw new IllegalArgumentException("runningTasks is negative: " + runningTasks);
            }
            if ((runningTasks == 0) != (idleSince != null)) {
                throw new IllegalArgumentException(
                        "an executor is idle exactly when it runs no task: " + runningTasks + ", " + idleSince);
            }
        }
    }

    /** The containers a message names: those that will be taken whatever happens, and those whose size is wanted. */
    record Ask(Set<ContainerId> strict, Set<ContainerId> negotiable) {
        Ask {
            strict = Set.copyOf(strict);
            negotiable = Set.copyOf(negotiable);
        }

        static Ask of(PreemptionMessage m) {
            if (m == null) {
                return new Ask(Set.of(), Set.of());
            }
            StrictPreemptionContract sc = m.getStrictContract();
            PreemptionContract c = m.getContract();
            return new Ask(ids(sc == null ? null : sc.getContainers()), ids(c == null ? null : c.getContainers()));
        }

        private static Set<ContainerId> ids(Set<PreemptionContainer> containers) {
            return containers == null
                    ? Set.of()
                    : containers.stream().map(PreemptionContainer::getId).collect(Collectors.toSet());
        }

        boolean isEmpty() {
            return strict.isEmpty() && negotiable.isEmpty();
        }
    }

    /**
     * The executors to give back, in the order to give them back: every executor in a strict container, then, node
     * by node, as many as the negotiable part marks there, cheapest first (see the class comment). Marked containers
     * that are not ours are ignored.
     *
     * @param releasing containers given back earlier whose release the ResourceManager has not confirmed yet, with
     *     their nodes: they count towards the ask on their node, which the scheduler may have repeated before it saw
     *     them go (it marks again every monitoring interval while the queue is still over its share)
     */
    static List<String> choose(Ask ask, List<Load> live, Map<ContainerId, String> releasing) {
        Map<ContainerId, Load> byContainer =
                live.stream().collect(Collectors.toMap(Load::container, Function.identity()));
        Set<String> chosen = new LinkedHashSet<>();
        for (ContainerId c : ask.strict()) {
            Load l = byContainer.get(c);
            if (l != null) {
                chosen.add(l.executorId());
            }
        }
        // Per node: containers marked there (live, or already on their way back) minus those on their way back.
        Map<String, Integer> wanted = new TreeMap<>();
        for (ContainerId c : ask.negotiable()) {
            if (ask.strict().contains(c)) {
                continue;
            }
            String node = byContainer.containsKey(c) ? byContainer.get(c).node() : releasing.get(c);
            if (node != null) {
                wanted.merge(node, 1, Integer::sum);
            }
        }
        releasing.values().forEach(node -> wanted.computeIfPresent(node, (n, k) -> k - 1));
        List<Load> cheapestFirst = new ArrayList<>(live);
        cheapestFirst.sort(CHEAPEST_FIRST);
        for (Map.Entry<String, Integer> w : wanted.entrySet()) {
            int n = w.getValue();
            for (Load l : cheapestFirst) {
                if (n <= 0) {
                    break;
                }
                if (l.node().equals(w.getKey()) && chosen.add(l.executorId())) {
                    n--;
                }
            }
        }
        return List.copyOf(chosen);
    }

    /** Idle before busy; among idle, idle longest first; among busy, latest task start first; then by id. */
    static final Comparator<Load> CHEAPEST_FIRST = Comparator.comparing((Load l) -> l.idleSince() == null)
            .thenComparing((a, b) -> a.idleSince() == null
                    ? Long.compare(b.lastTaskStart(), a.lastTaskStart())
                    : Long.compare(a.idleSince(), b.idleSince()))
            .thenComparing(Load::executorId);

    /** Executors idle since before {@code idleBefore} ({@link Ticker} nanos), longest idle first. */
    static List<String> idleSince(List<Load> live, long idleBefore) {
        return live.stream()
                .filter(l -> l.idleSince() != null && l.idleSince() <= idleBefore)
                .sorted(CHEAPEST_FIRST)
                .map(Load::executorId)
                .toList();
    }
}
