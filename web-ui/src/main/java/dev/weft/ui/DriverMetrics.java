package dev.weft.ui;

import static java.util.Objects.requireNonNull;

import org.apache.hadoop.metrics2.MetricsCollector;
import org.apache.hadoop.metrics2.MetricsInfo;
import org.apache.hadoop.metrics2.MetricsSource;
import org.apache.hadoop.metrics2.lib.DefaultMetricsSystem;
import org.apache.hadoop.metrics2.lib.Interns;

/**
 * Publishes the driver's scheduler figures as a Hadoop metrics2 source named {@value #SOURCE_NAME}, read on demand from
 * its {@link StatusStore}: in JMX ({@code Hadoop:service=WeftDriver,name=WeftDriver}, also on the web UI's {@code /jmx})
 * and in whatever metrics2 sinks the cluster configures ({@code hadoop-metrics2-weftdriver.properties}), next to the
 * JVM's own source ({@code JvmMetrics}: heap, GC counts and times, threads). metrics2 refreshes the JMX view once per
 * metrics period (10 s unless configured), so a JMX read may show values up to that old.
 *
 * <p>Thread-safe: the metrics system reads it from its own threads; the store is thread-safe.
 */
public final class DriverMetrics implements MetricsSource {
    public static final String SERVICE = "WeftDriver";
    public static final String SOURCE_NAME = "WeftDriver";
    private static final String CONTEXT = "weft";

    static final MetricsInfo ACTIVE_JOBS = Interns.info("ActiveJobs", "Jobs running");
    static final MetricsInfo JOBS_SUCCEEDED = Interns.info("JobsSucceeded", "Jobs that succeeded");
    static final MetricsInfo JOBS_FAILED = Interns.info("JobsFailed", "Jobs that failed");
    static final MetricsInfo ACTIVE_STAGES = Interns.info("ActiveStages", "Stage attempts running");
    static final MetricsInfo RUNNING_TASKS = Interns.info("RunningTasks", "Task attempts running");
    static final MetricsInfo TASKS_SUCCEEDED = Interns.info("TasksSucceeded", "Task attempts that succeeded");
    static final MetricsInfo TASKS_FAILED = Interns.info("TasksFailed", "Task attempts that failed or were lost");
    static final MetricsInfo TASKS_KILLED = Interns.info("TasksKilled", "Task attempts killed");
    static final MetricsInfo ACTIVE_EXECUTORS = Interns.info("ActiveExecutors", "Executors registered");
    static final MetricsInfo LOST_EXECUTORS = Interns.info("LostExecutors", "Executors lost, given back included");
    static final MetricsInfo INPUT_BYTES = Interns.info("InputBytes", "Bytes read from input files");
    static final MetricsInfo OUTPUT_BYTES = Interns.info("OutputBytes", "Bytes written to output files");
    static final MetricsInfo SHUFFLE_WRITTEN = Interns.info("ShuffleBytesWritten", "Shuffle bytes written");
    static final MetricsInfo SHUFFLE_READ = Interns.info("ShuffleBytesRead", "Shuffle bytes read");
    static final MetricsInfo SHUFFLE_READ_REMOTE =
            Interns.info("ShuffleBytesReadRemote", "Shuffle bytes fetched over the network");
    static final MetricsInfo SPILL_BYTES = Interns.info("SpillBytes", "Bytes spilled to disk");
    static final MetricsInfo TASK_GC_MILLIS =
            Interns.info("TaskGcMillis", "GC time of executors while succeeded tasks ran");

    private final StatusStore store;
    private boolean registered;

    public DriverMetrics(StatusStore store) {
        this.store = requireNonNull(store, "store is null");
    }

    @Override
    public void getMetrics(MetricsCollector collector, boolean all) {
        StatusStore.Totals t = store.totals();
        Counters c = t.counters();
        collector
                .addRecord(SOURCE_NAME)
                .setContext(CONTEXT)
                .addGauge(ACTIVE_JOBS, t.activeJobs())
                .addCounter(JOBS_SUCCEEDED, t.jobsSucceeded())
                .addCounter(JOBS_FAILED, t.jobsFailed())
                .addGauge(ACTIVE_STAGES, t.activeStages())
                .addGauge(RUNNING_TASKS, t.runningTasks())
                .addCounter(TASKS_SUCCEEDED, t.tasksSucceeded())
                .addCounter(TASKS_FAILED, t.tasksFailed())
                .addCounter(TASKS_KILLED, t.tasksKilled())
                .addGauge(ACTIVE_EXECUTORS, t.activeExecutors())
                .addCounter(LOST_EXECUTORS, t.lostExecutors())
                .addCounter(INPUT_BYTES, c.inputBytes())
                .addCounter(OUTPUT_BYTES, c.outputBytes())
                .addCounter(SHUFFLE_WRITTEN, c.shuffleBytesWritten())
                .addCounter(SHUFFLE_READ, c.shuffleBytesRead())
                .addCounter(SHUFFLE_READ_REMOTE, c.shuffleBytesReadRemote())
                .addCounter(SPILL_BYTES, c.spillBytes())
                .addCounter(TASK_GC_MILLIS, c.gcMillis());
    }

    /** Starts the driver JVM's metrics system ({@value #SERVICE}) with this source and the JVM's own. */
    public synchronized void register() {
        DefaultMetricsSystem.initialize(SERVICE);
        org.apache.hadoop.metrics2.source.JvmMetrics.initSingleton(SERVICE, null);
        DefaultMetricsSystem.instance().register(SOURCE_NAME, "Weft driver: jobs, stages, tasks, executors", this);
        registered = true;
    }

    public synchronized void unregister() {
        if (registered) {
            DefaultMetricsSystem.instance().unregisterSource(SOURCE_NAME);
            registered = false;
        }
    }
}
