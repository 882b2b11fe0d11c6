package dev.weft.executor;

import static java.util.Objects.requireNonNull;

import dev.weft.metrics.TaskMetrics;
import dev.weft.task.TaskOutcome;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.hadoop.metrics2.MetricsCollector;
import org.apache.hadoop.metrics2.MetricsInfo;
import org.apache.hadoop.metrics2.MetricsSource;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;
import org.apache.hadoop.metrics2.lib.Interns;

/**
 * An executor's figures as a Hadoop metrics2 source named {@value #SOURCE_NAME}: tasks running and how the ended ones
 * ended, the memory budget and its use, and the shuffle, spill and GC counters of its tasks. In JMX ({@code
 * Hadoop:service=WeftExecutor,name=WeftExecutor}) and the cluster's metrics2 sinks, next to the JVM's own source.
 *
 * <p>Thread-safe: task threads report ended attempts, the metrics system reads from its own threads.
 */
public final class ExecutorMetrics implements MetricsSource {
    public static final String SERVICE = "WeftExecutor";
    public static final String SOURCE_NAME = "WeftExecutor";

    static final MetricsInfo RUNNING_TASKS = Interns.info("RunningTasks", "Task attempts running");
    static final MetricsInfo TASKS_SUCCEEDED = Interns.info("TasksSucceeded", "Task attempts that succeeded");
    static final MetricsInfo TASKS_FAILED = Interns.info("TasksFailed", "Task attempts that failed");
    static final MetricsInfo TASKS_KILLED = Interns.info("TasksKilled", "Task attempts killed");
    static final MetricsInfo MEMORY_BUDGET = Interns.info("MemoryBudgetBytes", "The execution and storage budget");
    static final MetricsInfo MEMORY_USED = Interns.info("MemoryUsedBytes", "Budget in use");
    static final MetricsInfo SHUFFLE_WRITTEN = Interns.info("ShuffleBytesWritten", "Shuffle bytes written");
    static final MetricsInfo SHUFFLE_READ = Interns.info("ShuffleBytesRead", "Shuffle bytes read");
    static final MetricsInfo SHUFFLE_READ_REMOTE =
            Interns.info("ShuffleBytesReadRemote", "Shuffle bytes fetched over the network");
    static final MetricsInfo SPILL_BYTES = Interns.info("SpillBytes", "Bytes spilled to disk");
    static final MetricsInfo TASK_GC_MILLIS = Interns.info("TaskGcMillis", "GC time while tasks ran (per task)");

    private final IntSupplier running;
    private final long budget;
    private final LongSupplier used;
    private final AtomicLong succeeded = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong killed = new AtomicLong();
    private final AtomicLong shuffleWritten = new AtomicLong();
    private final AtomicLong shuffleRead = new AtomicLong();
    private final AtomicLong shuffleReadRemote = new AtomicLong();
    private final AtomicLong spill = new AtomicLong();
    private final AtomicLong gc = new AtomicLong();
    private boolean registered;

    ExecutorMetrics(IntSupplier running, long budgetBytes, LongSupplier usedBytes) {
        this.running = requireNonNull(running, "running is null");
        this.budget = budgetBytes;
        this.used = requireNonNull(usedBytes, "usedBytes is null");
    }

    /** Counts an ended attempt: how it ended and its counters (a failed attempt's work counts too). */
    void taskEnded(TaskOutcome outcome) {
        if (outcome instanceof TaskOutcome.Success) {
            succeeded.incrementAndGet();
        } else if (outcome instanceof TaskOutcome.Killed) {
            killed.incrementAndGet();
        } else {
            failed.incrementAndGet();
        }
        TaskMetrics m = outcome.metrics();
        if (m != null) {
            shuffleWritten.addAndGet(m.shuffleBytesWritten);
            shuffleRead.addAndGet(m.shuffleBytesRead);
            shuffleReadRemote.addAndGet(m.shuffleBytesReadRemote);
            spill.addAndGet(m.spillBytes);
            gc.addAndGet(m.gcMillis);
        }
    }

    @Override
    public void getMetrics(MetricsCollector collector, boolean all) {
        collector
                .addRecord(SOURCE_NAME)
                .setContext("weft")
                .addGauge(RUNNING_TASKS, running.getAsInt())
                .addCounter(TASKS_SUCCEEDED, succeeded.get())
                .addCounter(TASKS_FAILED, failed.get())
                .addCounter(TASKS_KILLED, killed.get())
                .addGauge(MEMORY_BUDGET, budget)
                .addGauge(MEMORY_USED, used.getAsLong())
                .addCounter(SHUFFLE_WRITTEN, shuffleWritten.get())
                .addCounter(SHUFFLE_READ, shuffleRead.get())
                .addCounter(SHUFFLE_READ_REMOTE, shuffleReadRemote.get())
                .addCounter(SPILL_BYTES, spill.get())
                .addCounter(TASK_GC_MILLIS, gc.get());
    }

    /** Starts the executor JVM's metrics system ({@value #SERVICE}) with this source and the JVM's own. */
    synchronized void register() {
        DefaultMetricsSystem.initialize(SERVICE);
        org.apache.hadoop.metrics2.source.JvmMetrics.initSingleton(SERVICE, null);
        DefaultMetricsSystem.instance().register(SOURCE_NAME, "Weft executor: tasks, memory budget, shuffle", this);
        registered = true;
    }

    synchronized void unregister() {
        if (registered) {
            DefaultMetricsSystem.instance().unregisterSource(SOURCE_NAME);
            registered = false;
        }
    }
}
