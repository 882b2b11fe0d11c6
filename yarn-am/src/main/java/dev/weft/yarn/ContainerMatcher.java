package dev.weft.yarn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.Priority;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;

/**
 * The executor container requests and which allocated container satisfies which of them. A request naming a
 * host is strict at first and becomes a relaxed one (any host) when nobody filled it within the strict
 * placement time; a request naming no host is relaxed from the start. An allocated container takes the
 * request for its host, else an unplaced one, else the oldest (the ResourceManager relaxed it), and that
 * request is removed from the ResourceManager so it does not hand out extra containers later. A container
 * that arrives when no request is pending is released.
 *
 * <p>Which nodes to ask for is {@link ExecutorPlacement}'s plan. Racks are not named: the ResourceManager resolves
 * a host's rack itself for relaxed requests.
 *
 * <p>Threading: the backend's allocator thread is the only caller; methods are synchronized anyway because
 * the requests are the state the allocator shares with nobody else and a lock costs nothing here.
 */
final class ContainerMatcher {
    // Strict and relaxed requests use different priorities, as the AMRM client requires.
    static final Priority RELAXED = Priority.newInstance(1);
    static final Priority STRICT = Priority.newInstance(2);

    private final ExecutorApplication app;
    private final Resource capability;
    private final long strictPlacementMs;
    private final Ticker ticker;
    private final RequestObserver observer;
    /** The node label expression of every request, or null for the default partition. */
    private final String nodeLabel;
    /** Requests added and not yet matched by an allocated container, oldest first. */
    private final List<ContainerRequest> outstanding = new ArrayList<>();
    /** When each still-strict request was added ({@link Ticker} nanos); identity, as requests are not values. */
    private final Map<ContainerRequest, Long> strictSince = new IdentityHashMap<>();
    /** Containers still wanted: requests added minus containers accepted minus requests withdrawn. */
    private int pendingRequests;

    /** Told of every request added, on the caller's thread, so the backend can log and publish it. */
    @FunctionalInterface
    interface RequestObserver {
        void requested(String node, boolean strict, boolean relaxedAfterWait, String reason);
    }

    ContainerMatcher(
            ExecutorApplication app,
            Resource capability,
            long strictPlacementMs,
            Ticker ticker,
            RequestObserver observer) {
        this(app, capability, strictPlacementMs, ticker, observer, null);
    }

    /**
     * @param nodeLabel a node label expression for every request, or null. YARN refuses a label together with named
     *     nodes, so with a label every request is for anywhere in the labelled partition
     */
    ContainerMatcher(
            ExecutorApplication app,
            Resource capability,
            long strictPlacementMs,
            Ticker ticker,
            RequestObserver observer,
            String nodeLabel) {
        this.nodeLabel = nodeLabel;
        this.app = Objects.requireNonNull(app, "app is null");
        this.capability = Objects.requireNonNull(capability, "capability is null");
        if (strictPlacementMs < 0) {
            throw new IllegalArgumentException("strictPlacementMs is negative: " + strictPlacementMs);
        }
        this.strictPlacementMs = strictPlacementMs;
        this.ticker = Objects.requireNonNull(ticker, "ticker is null");
        this.observer = Objects.requireNonNull(observer, "observer is null");
    }

    /** Adds one container request, strict when it names a node; tells the observer what was asked and why. */
    synchronized void request(ExecutorPlacement.Request placement) {
        add(placement.node());
        observer.requested(placement.node(), placement.strict(), false, placement.reason());
    }

    private void add(String host) {
        // A named node is asked for strictly at first: on small clusters the CapacityScheduler relaxes a
        // relaxed request after min(node-locality-delay, #nodes) missed opportunities, i.e. almost at once,
        // and two executors end up on one node while another node's data has none. A strict request that
        // is still unfilled after the strict placement time is replaced by a relaxed one (relaxStaleRequests).
        if (nodeLabel != null) {
            host = null;
        }
        ContainerRequest r = host == null
                ? new ContainerRequest(capability, null, null, RELAXED, true, nodeLabel)
                : new ContainerRequest(capability, new String[] {host}, null, STRICT, false);
        app.addContainerRequest(r);
        outstanding.add(r);
        if (host != null) {
            strictSince.put(r, ticker.nanoTime());
        }
        pendingRequests++;
    }

    /** Turns strict requests nobody filled in time into relaxed ones, so executors still start. */
    synchronized void relaxStaleRequests() {
        long now = ticker.nanoTime();
        for (ContainerRequest r : new ArrayList<>(strictSince.keySet())) {
            if (now - strictSince.get(r) > strictPlacementMs * 1_000_000L) {
                strictSince.remove(r);
                if (outstanding.remove(r)) {
                    app.removeContainerRequest(r);
                    pendingRequests--;
                    add(null);
                    observer.requested(
                            null,
                            false,
                            true,
                            "no container on " + r.getNodes() + " within " + strictPlacementMs + " ms");
                }
            }
        }
    }

    /**
     * Matches an allocated container to the request it satisfies and withdraws that request; releases the
     * container instead when no container is wanted.
     *
     * @return whether the container is to run an executor
     */
    synchronized boolean accept(Container c) {
        if (pendingRequests == 0) {
            app.releaseContainer(c.getId());
            return false;
        }
        pendingRequests--;
        // Drop the request this container satisfies so the RM does not hand out extra containers later.
        ContainerRequest matched = takeRequestFor(c.getNodeId().getHost(), c.getPriority());
        if (matched != null) {
            app.removeContainerRequest(matched);
        }
        return true;
    }

    /**
     * Withdraws every outstanding request from the ResourceManager (a container it allocates meanwhile is released by
     * {@link #accept}), to be asked for again later.
     *
     * @return how many containers were still wanted
     */
    synchronized int withdrawAll() {
        for (ContainerRequest r : outstanding) {
            app.removeContainerRequest(r);
        }
        outstanding.clear();
        strictSince.clear();
        int withdrawn = pendingRequests;
        pendingRequests = 0;
        return withdrawn;
    }

    /** Containers asked for and not yet allocated. */
    synchronized int pendingRequests() {
        return pendingRequests;
    }

    /** The hosts the outstanding requests name, oldest first; an empty list for a request naming no host. */
    synchronized List<List<String>> outstandingHosts() {
        List<List<String>> out = new ArrayList<>();
        for (ContainerRequest r : outstanding) {
            out.add(r.getNodes() == null ? List.of() : List.copyOf(r.getNodes()));
        }
        return out;
    }

    /**
     * The outstanding request a container on {@code host} allocated at {@code priority} satisfies. The priority
     * says which kind of request the ResourceManager served: a relaxed container on a host that a strict request
     * also names is the relaxed request's, and taking the strict one instead would withdraw the request still
     * unserved at the RM, leaving one executor never to come (several NodeManagers share one host name on a
     * test cluster; a relaxed request may land anywhere on a real one). Within that kind, or without a known
     * priority: one naming that host, else one naming no host, else (the RM relaxed a request for another host)
     * the oldest.
     */
    private ContainerRequest takeRequestFor(String host, Priority priority) {
        List<ContainerRequest> sameKind = new ArrayList<>();
        for (ContainerRequest r : outstanding) {
            if (r.getPriority().equals(priority)) {
                sameKind.add(r);
            }
        }
        ContainerRequest chosen = closestTo(host, sameKind.isEmpty() ? outstanding : sameKind);
        if (chosen != null) {
            outstanding.remove(chosen);
            strictSince.remove(chosen);
        }
        return chosen;
    }

    private static ContainerRequest closestTo(String host, List<ContainerRequest> candidates) {
        ContainerRequest chosen = null;
        for (ContainerRequest r : candidates) {
            List<String> nodes = r.getNodes();
            if (nodes != null && nodes.contains(host)) {
                chosen = r;
                break;
            }
            if ((nodes == null || nodes.isEmpty()) && chosen == null) {
                chosen = r;
            }
        }
        if (chosen == null && !candidates.isEmpty()) {
            chosen = candidates.get(0);
        }
        return chosen;
    }
}
