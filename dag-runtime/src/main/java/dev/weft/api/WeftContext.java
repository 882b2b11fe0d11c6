package dev.weft.api;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.conf.HadoopConfigurations;
import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import dev.weft.events.CountingListener;
import dev.weft.events.JobCounters;
import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import dev.weft.exec.AccumulatorHandle;
import dev.weft.exec.ExecutorEnv;
import dev.weft.io.FileFormats;
import dev.weft.io.InputSource;
import dev.weft.local.LocalBackend;
import dev.weft.memory.MemoryBudget;
import dev.weft.metrics.TaskMetrics;
import dev.weft.plan.CheckpointState;
import dev.weft.plan.Dependency;
import dev.weft.plan.Node;
import dev.weft.plan.ParallelCollectionNode;
import dev.weft.plan.UnionNode;
import dev.weft.scheduler.DriverContext;
import dev.weft.scheduler.EventPublisher;
import dev.weft.scheduler.ExclusionPolicy;
import dev.weft.scheduler.LocalityWaits;
import dev.weft.scheduler.MapOutputTracker;
import dev.weft.scheduler.OutputCommitCoordinator;
import dev.weft.scheduler.PendingTaskLocality;
import dev.weft.scheduler.Scheduler;
import dev.weft.scheduler.SchedulerBackend;
import dev.weft.scheduler.SpeculationPolicy;
import dev.weft.storage.BroadcastStore;
import dev.weft.storage.ChunkedRecords;
import dev.weft.task.ResultFunction;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of a Weft program: creates datasets, broadcasts and accumulators, and runs jobs. One
 * per application; close it to stop the schedulers and remove local files.
 *
 * <p>Thread-safe: jobs may be submitted from several threads; they are scheduled FIFO.
 */
public final class WeftContext implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WeftContext.class);

    private final WeftConf conf;
    private final Configuration hadoopConf;
    private final java.nio.file.Path localDir;
    private final boolean ownsLocalDir;
    private final int slots;
    private final Integer defaultParallelism;
    private final Scheduler scheduler;
    private final SchedulerBackend backend;
    private final String[] args;
    private final BroadcastStore broadcasts = new BroadcastStore();
    private final Map<Long, AccumulatorHandle> accumulators = new ConcurrentHashMap<>();
    private final AtomicInteger nextNodeId = new AtomicInteger();
    private final AtomicInteger nextShuffleId = new AtomicInteger();
    private final AtomicLong nextAccumulatorId = new AtomicLong();
    private final AtomicLong nextBroadcastId = new AtomicLong();
    private final TaskMetrics totals = new TaskMetrics();
    private final CountingListener counters = new CountingListener();
    private final ExtraListeners extraListeners;
    private volatile String checkpointDir;
    private volatile boolean closed;

    public WeftContext(WeftConf conf) {
        this(conf, HadoopConfigurations.create());
    }

    public WeftContext(WeftConf conf, Configuration hadoopConf) {
        this(conf, hadoopConf, new String[0]);
    }

    private WeftContext(WeftConf conf, Configuration hadoopConf, String[] args) {
        this.conf = conf;
        this.args = args.clone();
        this.hadoopConf = new Configuration(hadoopConf);
        this.defaultParallelism = conf.get(RuntimeConfigKeys.DEFAULT_PARALLELISM);
        this.checkpointDir = conf.get(RuntimeConfigKeys.CHECKPOINT_DIR);
        long budget = conf.get(RuntimeConfigKeys.MEMORY_BUDGET, Math.max(16L << 20, (long)
                (Runtime.getRuntime().maxMemory() * 0.3)));
        try {
            String dir = conf.get(RuntimeConfigKeys.LOCAL_DIR);
            if (dir == null) {
                this.localDir = Files.createTempDirectory("weft-");
                this.ownsLocalDir = true;
            } else {
                this.localDir = Files.createDirectories(java.nio.file.Path.of(dir));
                this.ownsLocalDir = false;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the local directory (" + RuntimeConfigKeys.LOCAL_DIR.name() + "): " + e, e);
        }
        MapOutputTracker tracker = new MapOutputTracker();
        EventPublisher events = new EventPublisher();
        OutputCommitCoordinator commits = new OutputCommitCoordinator();
        events.add(commits);
        String localExecutor = "local";
        ExecutorEnv env = ExecutorEnv.inProcess(
                localExecutor,
                "localhost",
                new MemoryBudget(budget),
                localDir,
                broadcasts.resolver(),
                tracker,
                this.hadoopConf,
                (stage, partition, task) ->
                        commits.canCommit(localExecutor, stage, partition, task).granted());
        // Before the backend: a listener that cannot be created fails the context before any container is asked for.
        this.extraListeners = ExtraListeners.create(conf, this.hadoopConf);
        PendingTaskLocality pendingTasks = new PendingTaskLocality();
        String backendName = Backends.resolve(conf);
        this.backend = backendName.equals("local")
                ? new LocalBackend(
                        env,
                        conf.get(
                                RuntimeConfigKeys.LOCAL_THREADS,
                                Runtime.getRuntime().availableProcessors()))
                : Backends.factory(backendName)
                        .create(new DriverContext(
                                conf, this.hadoopConf, tracker, broadcasts, events, localDir, pendingTasks, commits));
        this.slots = backend.defaultParallelism();
        this.scheduler = new Scheduler(
                backend,
                tracker,
                events,
                accumulators,
                conf.get(RuntimeConfigKeys.TASK_MAX_ATTEMPTS),
                conf.get(RuntimeConfigKeys.STAGE_MAX_ATTEMPTS),
                LocalityWaits.from(conf),
                pendingTasks,
                ExclusionPolicy.from(conf),
                SpeculationPolicy.from(conf));
        scheduler.events().add(this::countMetrics);
        scheduler.events().add(counters);
        extraListeners.listeners().forEach(scheduler.events()::add);
        scheduler.start();
        LOG.info(
                "Weft context '{}' started: {} backend with {} task slots, driver memory budget {} MiB, local dir {}",
                conf.get(RuntimeConfigKeys.APP_NAME),
                backendName,
                slots,
                budget >> 20,
                localDir);
    }

    /**
     * The entry point for programs run with {@code yarn jar}: parses Hadoop's generic options
     * ({@code -D key=value}, {@code -conf file}, …) into the configuration ({@code weft.*} keys into Weft's),
     * leaving the program's own arguments in {@link #args()}.
     *
     * <p>On an edge node (backend yarn, not inside a Weft driver) this does not return: it submits the
     * calling program as a YARN application, shows its progress and exits the JVM with its status. Inside
     * the driver, and with the local backend, it returns a ready context.
     */
    @SuppressForbidden("the client entry under yarn jar: the JVM exits with the application's status")
    public static WeftContext create(String[] args) {
        Class<?> mainClass = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE)
                .getCallerClass();
        Configuration hc = HadoopConfigurations.create();
        String[] rest;
        if (HadoopConfigurations.jobConfiguration().isPresent()) {
            // Inside the driver: the client parsed the generic options; their effect is in the job configuration,
            // and a -conf file of the edge node would not exist here.
            rest = args.clone();
        } else {
            try {
                rest = new org.apache.hadoop.util.GenericOptionsParser(hc, args).getRemainingArgs();
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot parse generic options: " + e.getMessage(), e);
            }
        }
        Map<String, String> weftKeys = new java.util.TreeMap<>();
        for (Map.Entry<String, String> e : hc) {
            if (e.getKey().startsWith("weft.")) {
                weftKeys.put(e.getKey(), e.getValue());
            }
        }
        WeftConf conf = WeftConf.of(weftKeys);
        if (Backends.isClient(conf)) {
            int code = Backends.launcher(Backends.resolve(conf)).submitAndWait(mainClass, rest, conf, hc);
            if (Boolean.parseBoolean(System.getProperty("weft.client.noExit", "false"))) {
                throw new ClientExit(code);
            }
            System.exit(code);
        }
        return new WeftContext(conf, hc, rest);
    }

    /** Thrown instead of exiting the JVM when {@code -Dweft.client.noExit=true} (tests of the client path). */
    public static final class ClientExit extends RuntimeException {
        private final int code;

        public ClientExit(int code) {
            super("the application ended with exit code " + code);
            this.code = code;
        }

        public int code() {
            return code;
        }
    }

    /** The program's own arguments (after generic options), when created with {@link #create(String[])}. */
    public String[] args() {
        return args.clone();
    }

    public static WeftContext local() {
        return new WeftContext(WeftConf.defaults());
    }

    public WeftConf conf() {
        return conf;
    }

    /** A copy of the Hadoop configuration used for file systems. */
    /** The cluster's id of this driver's application (a YARN application id), or empty when there is none. */
    String applicationId() {
        return backend.applicationId();
    }

    /** What this driver journals for a restarted driver, and what earlier attempts journaled. */
    dev.weft.scheduler.DriverJournal journal() {
        return backend.journal();
    }

    /** Which attempt at the application this driver is: 1, or more when the cluster restarted the driver. */
    int driverAttempt() {
        return backend.driverAttempt();
    }

    public Configuration hadoopConf() {
        return new Configuration(hadoopConf);
    }

    public int defaultParallelism() {
        return defaultParallelism != null ? defaultParallelism : slots;
    }

    /** Partitions for a shuffle without an explicit count: the configured default, else the largest parent. */
    int shufflePartitions(Node<?>... parents) {
        if (defaultParallelism != null) {
            return defaultParallelism;
        }
        int max = 1;
        for (Node<?> p : parents) {
            max = Math.max(max, p.numPartitions());
        }
        return max;
    }

    // ---- sources ----------------------------------------------------------------------------------

    public <T> Dataset<T> parallelize(Collection<T> data) {
        return parallelize(data, defaultParallelism());
    }

    public <T> Dataset<T> parallelize(Collection<T> data, int numSlices) {
        String site = CallSite.current();
        return new Dataset<>(
                this, new ParallelCollectionNode<>(newNodeId(), site, null, new ArrayList<>(data), numSlices));
    }

    public <K, V> PairDataset<K, V> parallelizePairs(Collection<Pair<K, V>> data, int numSlices) {
        String site = CallSite.current();
        return new PairDataset<>(
                this, new ParallelCollectionNode<>(newNodeId(), site, null, new ArrayList<>(data), numSlices));
    }

    public <K, V> PairDataset<K, V> parallelizePairs(Collection<Pair<K, V>> data) {
        return parallelizePairs(data, defaultParallelism());
    }

    /** Lines of a file, a directory of files or a glob, through Hadoop's FileSystem. */
    public Dataset<String> textFile(String path) {
        return textFile(path, Math.min(2, defaultParallelism()));
    }

    public Dataset<String> textFile(String path, int minPartitions) {
        return read(FileFormats.installed().textFile(path, minPartitions));
    }

    /**
     * A dataset read by an input format module's {@link InputSource} (hdfs-io's {@code HadoopFiles}: Hadoop
     * InputFormats, SequenceFiles, fixed-length records, CSV, JSON lines, Parquet, ORC).
     */
    public <T> Dataset<T> read(InputSource<T> source) {
        return new Dataset<>(this, readNode(source));
    }

    /** {@link #read} for a source of key-value pairs. */
    public <K, V> PairDataset<K, V> readPairs(InputSource<Pair<K, V>> source) {
        return new PairDataset<>(this, readNode(source));
    }

    private <T> Node<T> readNode(InputSource<T> source) {
        Objects.requireNonNull(source, "source is null");
        String site = CallSite.current();
        return Objects.requireNonNull(source.node(newNodeId(), site, hadoopConf), "the input source built no node");
    }

    @SafeVarargs
    public final <T> Dataset<T> union(Dataset<T> first, Dataset<T>... more) {
        String site = CallSite.current();
        List<Node<T>> nodes = new ArrayList<>();
        nodes.add(first.node());
        for (Dataset<T> d : more) {
            nodes.add(d.node());
        }
        return new Dataset<>(
                this, new UnionNode<>(newNodeId(), site, first.node().serializer(), nodes));
    }

    // ---- shared variables -------------------------------------------------------------------------

    public <T> Broadcast<T> broadcast(T value) {
        long id = nextBroadcastId.getAndIncrement();
        broadcasts.put(id, value);
        return new Broadcast<>(id, value);
    }

    /** Drops a broadcast's bytes; tasks that read it afterwards fail. */
    public void destroy(Broadcast<?> b) {
        broadcasts.remove(b.id());
        b.markDestroyed();
    }

    public LongAccumulator longAccumulator(String name) {
        return register(new LongAccumulator(nextAccumulatorId.getAndIncrement(), name));
    }

    public DoubleAccumulator doubleAccumulator(String name) {
        return register(new DoubleAccumulator(nextAccumulatorId.getAndIncrement(), name));
    }

    public <T> CollectionAccumulator<T> collectionAccumulator(String name) {
        return register(new CollectionAccumulator<>(nextAccumulatorId.getAndIncrement(), name));
    }

    private <A extends Accumulator<?, ?>> A register(A acc) {
        accumulators.put(acc.id(), acc);
        return acc;
    }

    // ---- checkpoints ------------------------------------------------------------------------------

    public void setCheckpointDir(String dir) {
        this.checkpointDir = dir;
    }

    String checkpointDir() {
        return checkpointDir;
    }

    /** Writes every dataset in {@code node}'s lineage that asked for a checkpoint and cuts its lineage. */
    private void doCheckpoints(Node<?> root) {
        Deque<Node<?>> todo = new ArrayDeque<>(List.of(root));
        Set<Integer> seen = new HashSet<>();
        List<Node<?>> requested = new ArrayList<>();
        while (!todo.isEmpty()) {
            Node<?> n = todo.pop();
            if (!seen.add(n.id())) {
                continue;
            }
            if (n.checkpointRequested() && n.checkpoint() == null) {
                requested.add(n);
            }
            for (Dependency d : n.dependencies()) {
                todo.push(d.parent());
            }
        }
        for (Node<?> n : requested) {
            writeCheckpoint(n);
        }
    }

    private <T> void writeCheckpoint(Node<T> node) {
        String dir = new Path(checkpointDir, "node-" + node.id()).toString();
        ResultFunction<T, Long> write = (ctx, it) -> {
            Path file = new Path(dir, CheckpointState.partFile(ctx.partitionId()));
            FileSystem fs = file.getFileSystem(ctx.env().hadoopConf());
            Path tmp = new Path(dir, "." + file.getName() + "." + ctx.taskAttemptId());
            long n;
            try (FSDataOutputStream os = fs.create(tmp, true)) {
                n = ChunkedRecords.write(it, node.serializer(), os);
            }
            fs.delete(file, false);
            if (!fs.rename(tmp, file)) {
                throw new IOException("cannot move checkpoint file " + tmp + " to " + file);
            }
            return n;
        };
        scheduler.runJob(node, allPartitions(node), write, (i, v) -> {});
        node.markCheckpointed(new CheckpointState(dir, node.numPartitions()));
        LOG.info("checkpointed {} to {}", node, dir);
    }

    // ---- jobs -------------------------------------------------------------------------------------

    static int[] allPartitions(Node<?> node) {
        int[] p = new int[node.numPartitions()];
        for (int i = 0; i < p.length; i++) {
            p[i] = i;
        }
        return p;
    }

    /**
     * Runs {@code fn} on the given partitions of {@code node} and hands each result to {@code handler}
     * (on the scheduler thread). Blocks until the job ends; then writes requested checkpoints.
     */
    <T, R> TaskMetrics runJob(Node<T> node, int[] partitions, ResultFunction<T, R> fn, BiConsumer<Integer, R> handler) {
        if (closed) {
            throw new IllegalStateException("this WeftContext is closed");
        }
        TaskMetrics m = scheduler.runJob(node, partitions, fn, handler);
        doCheckpoints(node);
        return m;
    }

    /** Observes every job, stage and task transition (see {@link WeftListener} for the threading rules). */
    public void addListener(WeftListener listener) {
        scheduler.events().add(listener);
    }

    public void removeListener(WeftListener listener) {
        scheduler.events().remove(listener);
    }

    /**
     * What happened to this context's executors and task attempts so far: launches, failures, attempts lost with
     * their executor, and how many of those YARN preempted (re-run without counting against the task).
     */
    public JobCounters counters() {
        return counters.snapshot();
    }

    /** Sum of the metrics of every successful task so far. */
    public TaskMetrics metrics() {
        synchronized (totals) {
            return totals.copy();
        }
    }

    private void countMetrics(WeftEvent e) {
        if (e instanceof WeftEvent.TaskStateChanged t
                && t.to() == dev.weft.events.TaskState.SUCCEEDED
                && t.metrics() != null) {
            synchronized (totals) {
                totals.add(t.metrics());
            }
        }
    }

    int newNodeId() {
        return nextNodeId.getAndIncrement();
    }

    int newShuffleId() {
        return nextShuffleId.getAndIncrement();
    }

    /** Executor-side services of the local backend; for tests and tools. */
    public ExecutorEnv localExecutor() {
        if (!(backend instanceof LocalBackend local)) {
            throw new IllegalStateException("not running on the local backend");
        }
        return local.env();
    }

    /** Drops a persisted dataset's cached partitions everywhere. */
    void removeCached(int nodeId) {
        scheduler.datasetUnpersisted(nodeId);
        backend.removeCachedDataset(nodeId);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        scheduler.close();
        extraListeners.close();
        if (ownsLocalDir) {
            try (Stream<java.nio.file.Path> walk = Files.walk(localDir)) {
                walk.sorted((a, b) -> b.getNameCount() - a.getNameCount())
                        .forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                LOG.warn("cannot remove local dir {}: {}", localDir, e.toString());
            }
        }
        LOG.info("Weft context '{}' stopped; counters: {}", conf.get(RuntimeConfigKeys.APP_NAME), counters.snapshot());
    }
}
