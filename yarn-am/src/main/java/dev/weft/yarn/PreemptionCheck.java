package dev.weft.yarn;

import java.util.Optional;

/**
 * The client's pre-submit check that the executor queue can be preempted. Drivers and executors live in
 * separate queues so that a driver never waits behind other jobs' executors; that only holds when the
 * CapacityScheduler takes lent capacity back, i.e. when its preemption monitor runs and the executor queue is
 * preemptable. The ResourceManager reports both in one flag: {@code QueueInfo.getPreemptionDisabled()} is true
 * when {@code yarn.resourcemanager.scheduler.monitor.enable} is off (for every queue) or the queue, or a parent,
 * sets {@code disable_preemption} (Hadoop 3.4's {@code CSQueuePreemptionSettings}).
 */
final class PreemptionCheck {
    static final String MONITOR_KEY = "yarn.resourcemanager.scheduler.monitor.enable";

    private PreemptionCheck() {}

    /**
     * The warning to print for the executor queue, or empty when it is preemptable or the scheduler does not
     * say ({@code null}: e.g. the FairScheduler, which reports nothing here).
     */
    static Optional<String> warning(String executorQueue, Boolean preemptionDisabled) {
        if (!Boolean.TRUE.equals(preemptionDisabled)) {
            return Optional.empty();
        }
        return Optional.of("the ResourceManager reports preemption disabled for executor queue '" + executorQueue
                + "': a driver may wait ACCEPTED behind other jobs' executors while its queue is below its"
                + " guarantee. Set " + MONITOR_KEY + "=true in the ResourceManager's yarn-site.xml and remove"
                + " yarn.scheduler.capacity.<queue-path>.disable_preemption from '" + executorQueue
                + "' and its parents (see capacity-scheduler-configs/README.md).");
    }
}
