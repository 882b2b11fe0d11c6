package dev.weft.scheduler;

/**
 * Which executors, hosts and racks currently have live executors that are offered tasks; lets a {@link TaskSetManager} skip
 * locality levels no executor can ever satisfy instead of waiting on them. Implemented by the
 * {@link TaskScheduler}; read on the scheduler thread only.
 */
interface ClusterView {
    boolean isExecutorAlive(String executorId);

    boolean hasExecutorsOnHost(String host);

    boolean hasHostsOnRack(String rack);

    /** Whether some executor that is offered tasks (live, connected, not excluded) is not in {@code executorIds}. */
    boolean hasOfferableExecutorOutside(java.util.Set<String> executorIds);

    /**
     * Whether tasks should not go to {@code host} now: its shuffle service was recently unreachable, and some executor
     * on another host is offered tasks.
     */
    boolean avoidsHost(String host);
}
