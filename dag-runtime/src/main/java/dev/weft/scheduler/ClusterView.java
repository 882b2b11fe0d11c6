package dev.weft.scheduler;

/**
 * Which executors, hosts and racks currently have live executors; lets a {@link TaskSetManager} skip
 * locality levels no executor can ever satisfy instead of waiting on them. Implemented by the
 * {@link TaskScheduler}; read on the scheduler thread only.
 */
interface ClusterView {
    boolean isExecutorAlive(String executorId);

    boolean hasExecutorsOnHost(String host);

    boolean hasHostsOnRack(String rack);
}
