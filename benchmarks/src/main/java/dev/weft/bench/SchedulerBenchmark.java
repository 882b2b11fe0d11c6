package dev.weft.bench;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.conf.WeftConf;
import dev.weft.core.HashPartitioner;
import dev.weft.core.Pair;
import dev.weft.id.ShuffleId;
import dev.weft.plan.Node;
import dev.weft.plan.ParallelCollectionNode;
import dev.weft.plan.ShuffleDependency;
import dev.weft.plan.ShuffledNode;
import dev.weft.scheduler.EventPublisher;
import dev.weft.scheduler.ExclusionPolicy;
import dev.weft.scheduler.LocalityWaits;
import dev.weft.scheduler.MapOutputTracker;
import dev.weft.scheduler.PendingTaskLocality;
import dev.weft.scheduler.Scheduler;
import dev.weft.scheduler.SpeculationPolicy;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.KeyOrdering;
import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleSpec;
import dev.weft.task.ResultFunction;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;
import org.openjdk.jol.info.GraphLayout;

/**
 * Drives the driver's real scheduling core ({@link Scheduler}: DagScheduler, TaskScheduler, TaskSetManager,
 * MapOutputTracker) against a {@link SimulatedClusterBackend} of 2,000 executors on 500 hosts whose tasks end as
 * soon as they start, and prints what the driver costs: task launches per second, CPU time of the
 * {@code weft-scheduler} thread, driver heap per 1,000 tasks of a running stage, and the heap the map-output
 * tracker needs for a 10,000 × 10,000 shuffle. Jobs are built from plan nodes directly, as the Dataset API
 * would build them, because the API's context only knows the local and YARN backends.
 *
 * <p>Heap figures are retained sizes: heap used after a full GC with the structures alive, less the same before
 * (stage), or JOL's walk of the object graph (map outputs), which counts every reachable object once.
 *
 * <p>Usage: {@code SchedulerBenchmark [tasks] [maps] [reduces]} (defaults 100,000, 10,000 and 10,000); run with
 * {@code -Xmx8g -Djdk.attach.allowAttachSelf=true} (JOL needs the latter to size records), or {@code ./weft bench
 * scheduler}. On a machine with few cores the completer threads compete with the scheduler thread, so the
 * scheduler's CPU time per task is the figure to compare across machines.
 */
@SuppressForbidden("a command-line benchmark: its results go to the terminal")
public final class SchedulerBenchmark {
    private static final int EXECUTORS = 2_000;
    private static final int CORES = 4;
    private static final int HOSTS = 500;
    private static final int COMPLETERS = 2;

    private final Scheduler scheduler;
    private final SimulatedClusterBackend backend;
    private final MapOutputTracker tracker;
    private Thread schedulerThread;
    private int nextNodeId;
    private int nextShuffleId;

    private SchedulerBenchmark(SimulatedClusterBackend.Shape shape) {
        this.tracker = new MapOutputTracker();
        this.backend = new SimulatedClusterBackend(shape, tracker);
        this.scheduler = new Scheduler(
                backend,
                tracker,
                new EventPublisher(),
                new ConcurrentHashMap<>(),
                4,
                4,
                LocalityWaits.from(WeftConf.defaults()),
                new PendingTaskLocality(),
                ExclusionPolicy.from(WeftConf.defaults()),
                SpeculationPolicy.from(WeftConf.defaults()));
    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int maps = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int reduces = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        System.out.printf(
                Locale.ROOT,
                "SchedulerBenchmark: %d executors x %d cores on %d hosts, %d completer threads, %d cores here,"
                        + " max heap %d MiB%n",
                EXECUTORS,
                CORES,
                HOSTS,
                COMPLETERS,
                Runtime.getRuntime().availableProcessors(),
                Runtime.getRuntime().maxMemory() >> 20);
        SchedulerBenchmark b = new SchedulerBenchmark(
                new SimulatedClusterBackend.Shape(EXECUTORS, CORES, HOSTS, COMPLETERS, BlockSizeProfile.SKEWED));
        try {
            b.run(tasks, maps, reduces);
        } finally {
            b.scheduler.close();
        }
        for (BlockSizeProfile p : BlockSizeProfile.values()) {
            mapStatusSizes(p, maps, reduces);
        }
    }

    private void run(int tasks, int maps, int reduces) throws Exception {
        scheduler.start();
        // Queued after every executor's registration, so it returns once all are known to the scheduler.
        count(parallelize(1));
        schedulerThread = schedulerThread();

        Node<Integer> stage = parallelize(tasks);
        oneStage(stage, tasks, "warm-up, no preferences");
        oneStage(stage, tasks, "no preferences");
        stageHeap(stage, tasks, "no preferences");
        Node<Integer> local = new ReplicatedInputNode(nextNodeId++, tasks, HOSTS);
        oneStage(local, tasks, "3-replica input, warm-up");
        oneStage(local, tasks, "3-replica input");
        stageHeap(local, tasks, "3-replica input");

        shuffle(Math.max(1, maps / 10), Math.max(1, reduces / 10), "warm-up");
        shuffle(maps, reduces, "measured");
    }

    private void oneStage(Node<Integer> stage, int tasks, String label) {
        long launches0 = backend.launches();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        long n = count(stage);
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        long launched = backend.launches() - launches0;
        check(n == tasks, "count " + n + " != " + tasks);
        System.out.printf(
                Locale.ROOT,
                "stage    %-26s %,7d tasks  %6.2f s  %,9.0f launches/s  scheduler CPU %6.2f s (%5.1f us/task,"
                        + " %,9.0f tasks per CPU-s)%n",
                label,
                launched,
                s,
                launched / s,
                cpu,
                cpu * 1e6 / launched,
                launched / cpu);
    }

    /** Driver heap with a stage's task set alive and every core busy, against just before it was submitted. */
    private void stageHeap(Node<Integer> stage, int tasks, String label) throws Exception {
        long before = usedHeapAfterGc();
        long launches0 = backend.launches();
        int running = Math.min(backend.shape().slots(), tasks);
        backend.hold();
        CompletableFuture<Long> job = CompletableFuture.supplyAsync(() -> count(stage));
        while (backend.launches() - launches0 < running) {
            Thread.sleep(10);
        }
        long during = usedHeapAfterGc();
        backend.release();
        check(job.get() == tasks, "count mismatch");
        System.out.printf(
                Locale.ROOT,
                "stage    heap (%s) %,7d tasks, %,d running: %6.1f MiB retained, %7.1f KiB per 1k tasks%n",
                label,
                tasks,
                running,
                (during - before) / 1048576.0,
                (during - before) / (tasks / 1000.0) / 1024);
    }

    private void shuffle(int maps, int reduces, String label) {
        List<Pair<Integer, Long>> data = new ArrayList<>(maps);
        for (int i = 0; i < maps; i++) {
            data.add(Pair.of(i, 1L));
        }
        Node<Pair<Integer, Long>> parent = new ParallelCollectionNode<>(nextNodeId++, "bench", null, data, maps);
        int shuffleId = nextShuffleId++;
        ShuffleSpec spec = new ShuffleSpec(
                shuffleId,
                new HashPartitioner(reduces),
                ValueSerializer.INSTANCE,
                ValueSerializer.INSTANCE,
                KeyOrdering.NONE,
                null,
                null,
                false);
        Node<Pair<Integer, Long>> reduced =
                new ShuffledNode<>(nextNodeId++, "bench", null, new ShuffleDependency(parent, spec));
        long launches0 = backend.launches();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        long n = count(reduced);
        double s = (System.nanoTime() - t0) / 1e9;
        double cpu = (cpuNanos() - cpu0) / 1e9;
        long launched = backend.launches() - launches0;
        check(n == reduces, "count " + n + " != " + reduces);
        System.out.printf(
                Locale.ROOT,
                "shuffle  %-8s %,6d maps x %,6d reduces  %6.2f s  %,9.0f launches/s  scheduler CPU %6.2f s"
                        + " (%5.1f us/task)%n",
                label,
                maps,
                reduces,
                s,
                launched / s,
                cpu,
                cpu * 1e6 / launched);
        MapStatus[] statuses = tracker.statuses(new ShuffleId(shuffleId));
        long bytes = GraphLayout.parseInstance((Object) statuses).totalSize();
        System.out.printf(
                Locale.ROOT,
                "shuffle  %-8s map-output metadata in the tracker (JOL, %s sizes): %7.1f MiB%n",
                label,
                BlockSizeProfile.SKEWED,
                bytes / 1048576.0);
    }

    private Node<Integer> parallelize(int partitions) {
        List<Integer> data = IntStream.range(0, partitions).boxed().toList();
        return new ParallelCollectionNode<>(nextNodeId++, "bench", null, data, partitions);
    }

    /** What {@code Dataset.count()} runs; the simulated tasks each report 1. */
    private long count(Node<?> node) {
        long[] total = {0};
        ResultFunction<Object, Long> fn = (c, it) -> {
            long n = 0;
            while (it.hasNext()) {
                it.next();
                n++;
            }
            return n;
        };
        @SuppressWarnings("unchecked")
        Node<Object> n = (Node<Object>) node;
        scheduler.runJob(n, IntStream.range(0, node.numPartitions()).toArray(), fn, (i, v) -> total[0] += v);
        return total[0];
    }

    /** The heap (JOL) and wire (serialized) size of {@code maps} statuses of {@code reduces} blocks each. */
    private static void mapStatusSizes(BlockSizeProfile profile, int maps, int reduces) {
        MapStatus[] statuses = new MapStatus[maps];
        for (int m = 0; m < maps; m++) {
            BlockLocation loc = new BlockLocation("exec-" + (m % EXECUTORS), "host-" + (m % HOSTS), 7337);
            statuses[m] = MapStatus.of(0, m, m, loc, profile.lengths(m, reduces));
        }
        long heap = GraphLayout.parseInstance((Object) statuses).totalSize();
        RecordOutput out = new RecordOutput(1 << 16);
        ValueSerializer.INSTANCE.write(statuses[0], out);
        System.out.printf(
                Locale.ROOT,
                "map statuses %-10s %,6d maps x %,6d reduces: heap (JOL) %7.1f MiB, one status serialized %,8d B%n",
                profile,
                maps,
                reduces,
                heap / 1048576.0,
                out.toByteArray().length);
    }

    private static Thread schedulerThread() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals("weft-scheduler")) {
                return t;
            }
        }
        throw new IllegalStateException("no weft-scheduler thread");
    }

    private long cpuNanos() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        return mx.getThreadCpuTime(schedulerThread.getId());
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException(what);
        }
    }
}
