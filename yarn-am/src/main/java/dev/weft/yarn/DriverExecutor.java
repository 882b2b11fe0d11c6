package dev.weft.yarn;

import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.exec.ExecutorEnv;
import dev.weft.id.ExecutorId;
import dev.weft.id.TaskAttemptId;
import dev.weft.local.LocalBackend;
import dev.weft.memory.MemoryBudget;
import dev.weft.scheduler.DriverContext;
import dev.weft.scheduler.SchedulerBackend;
import dev.weft.task.TaskDescription;

/**
 * The executor inside the driver that runs small jobs' tasks (uber mode, see {@link UberPolicy}): the driver's own
 * threads, shuffle files under the driver's local directory, read back directly. It has no shuffle server, so its map
 * output is lost with it; it is registered under {@link #ID} on the driver's host.
 *
 * <p>Thread-safe: launches and kills come from the scheduler thread, outcomes from its task threads.
 */
final class DriverExecutor {
    static final String ID = "driver";

    private final LocalBackend tasks;

    private DriverExecutor(LocalBackend tasks) {
        this.tasks = tasks;
    }

    /**
     * Starts the executor and registers it with the scheduler ({@code listener.executorAdded}).
     *
     * @param threads task slots: the driver container's cores
     */
    static DriverExecutor start(DriverContext driver, String host, int threads, SchedulerBackend.Listener listener) {
        long budget = driver.conf().get(RuntimeConfigKeys.MEMORY_BUDGET, Math.max(16L << 20, (long)
                (Runtime.getRuntime().maxMemory() * 0.3)));
        ExecutorEnv env = ExecutorEnv.inProcess(
                ID,
                host,
                new MemoryBudget(budget),
                driver.localDir().resolve("driver-executor"),
                driver.broadcasts().resolver(),
                driver.mapOutputs(),
                driver.hadoopConf(),
                (stage, partition, task) ->
                        driver.commits().canCommit(ID, stage, partition, task).granted());
        LocalBackend tasks = new LocalBackend(env, threads);
        tasks.start(listener);
        return new DriverExecutor(tasks);
    }

    void launch(TaskDescription task) {
        tasks.launch(new ExecutorId(ID), task);
    }

    /** Asks the attempt to stop if it runs here; nothing otherwise. */
    void kill(TaskAttemptId taskId, String reason) {
        tasks.kill(taskId, reason);
    }

    /** Drops dataset {@code nodeId}'s partitions cached here (unpersist). */
    void removeDataset(int nodeId) {
        tasks.removeCachedDataset(nodeId);
    }

    /** Deletes shuffle {@code shuffleId}'s files in this executor's directory. */
    void removeShuffle(int shuffleId) {
        tasks.removeShuffle(shuffleId);
    }

    void stop() {
        tasks.stop();
    }
}
