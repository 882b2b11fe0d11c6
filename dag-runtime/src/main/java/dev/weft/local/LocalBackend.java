package dev.weft.local;

import dev.weft.exec.ExecutorEnv;
import dev.weft.exec.TaskContext;
import dev.weft.id.ExecutorId;
import dev.weft.id.TaskAttemptId;
import dev.weft.scheduler.SchedulerBackend;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import dev.weft.task.TaskRunner;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks in-process on a fixed pool of threads standing in for one executor's cores. Tasks still go
 * through serialization, shuffle files and the same {@link TaskRunner} as on YARN.
 *
 * <p>Thread-safe: launches come from the scheduler thread, outcomes from pool threads.
 */
public final class LocalBackend implements SchedulerBackend {
    private static final Logger LOG = LoggerFactory.getLogger(LocalBackend.class);

    private final ExecutorEnv env;
    private final int threads;
    private final ExecutorService pool;
    private final Map<Long, TaskContext> runningTasks = new ConcurrentHashMap<>();
    private volatile Listener listener;

    public LocalBackend(ExecutorEnv env, int threads) {
        if (threads <= 0) {
            throw new IllegalArgumentException("threads must be > 0: " + threads);
        }
        this.env = env;
        this.threads = threads;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "weft-task-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start(Listener listener) {
        this.listener = listener;
        listener.executorAdded(new ExecutorId(env.executorId()), env.location().host(), threads);
    }

    @Override
    public void launch(ExecutorId executorId, TaskDescription task) {
        pool.execute(() -> {
            TaskOutcome outcome;
            try {
                outcome = TaskRunner.run(task, env, ctx -> runningTasks.put(task.taskId(), ctx));
            } finally {
                runningTasks.remove(task.taskId());
            }
            listener.taskEnded(new TaskAttemptId(task.taskId()), outcome);
        });
    }

    @Override
    public void kill(TaskAttemptId taskId, String reason) {
        TaskContext ctx = runningTasks.get(taskId.value());
        if (ctx != null) {
            ctx.kill();
        }
    }

    @Override
    public void stop() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public int defaultParallelism() {
        return threads;
    }

    @Override
    public void removeCachedDataset(int nodeId) {
        env.blockManager().removeDataset(nodeId);
    }

    @Override
    public void removeShuffle(int shuffleId) {
        try {
            int deleted = env.shuffleFiles().deleteShuffle(shuffleId);
            LOG.debug("deleted {} files of shuffle {}", deleted, shuffleId);
        } catch (java.io.IOException e) {
            LOG.warn("cannot delete the files of shuffle {}: {}", shuffleId, e.toString());
        }
    }

    public ExecutorEnv env() {
        return env;
    }
}
