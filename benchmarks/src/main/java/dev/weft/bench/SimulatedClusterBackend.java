package dev.weft.bench;

import dev.weft.id.ExecutorId;
import dev.weft.id.TaskAttemptId;
import dev.weft.metrics.TaskMetrics;
import dev.weft.scheduler.MapOutputTracker;
import dev.weft.scheduler.SchedulerBackend;
import dev.weft.serde.RecordOutput;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.MapStatus;
import dev.weft.task.ShuffleMapTask;
import dev.weft.task.Task;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A cluster that exists only in the driver: it registers {@code executors} executors of {@code cores} cores on
 * {@code hosts} host names and ends every launched task at once with a made-up success, so the real
 * {@code DagScheduler}, {@code TaskScheduler} and {@code TaskSetManager} can be measured without running any
 * task. A shuffle-map task "writes" {@link BlockSizeProfile} sizes for each reduce partition; any other task
 * returns the {@code Long} 1 (what {@code count()} sums).
 *
 * <p>Outcomes come back as a real backend's do: from other threads ({@code completers} of them), through the
 * listener, onto the scheduler's queue. {@link #hold()} makes the completers keep outcomes back until
 * {@link #release()}, so the driver can be observed with every core busy.
 *
 * <p>Threading: {@link #launch} runs on the scheduler thread and only enqueues; counters are thread-safe.
 */
final class SimulatedClusterBackend implements SchedulerBackend {
    /** The shape of the cluster; immutable. */
    record Shape(int executors, int coresPerExecutor, int hosts, int completers, BlockSizeProfile profile) {
        Shape {
            if (executors < 1 || coresPerExecutor < 1 || hosts < 1 || hosts > executors || completers < 1) {
                throw new IllegalArgumentException("bad shape: " + executors + " executors, " + coresPerExecutor
                        + " cores, " + hosts + " hosts, " + completers + " completers");
            }
            Objects.requireNonNull(profile, "profile is null");
        }

        int slots() {
            return executors * coresPerExecutor;
        }
    }

    private record Launched(String executorId, TaskDescription task) {}

    /** What a stage's tasks return, learnt from its first task (deserialized once per stage). */
    private record StageKind(int shuffleId, int numReduces) {
        static final StageKind RESULT = new StageKind(-1, 0);

        boolean isMap() {
            return shuffleId >= 0;
        }
    }

    private static final Launched STOP = new Launched("", new TaskDescription(-1, -1, -1, -1, -1, new byte[0]));

    private final Shape shape;
    private final MapOutputTracker tracker;
    private final BlockingQueue<Launched> launched = new LinkedBlockingQueue<>();
    private final Map<Integer, StageKind> stageKinds = new ConcurrentHashMap<>();
    private final Map<String, BlockLocation> locations = new ConcurrentHashMap<>();
    private final List<Thread> completers = new ArrayList<>();
    private final AtomicLong launches = new AtomicLong();
    private final AtomicLong completed = new AtomicLong();
    private final byte[] resultValue;
    private final Object holdLock = new Object();
    private boolean holding;
    private volatile int lastShuffleId = -1;
    private volatile Listener listener;

    SimulatedClusterBackend(Shape shape, MapOutputTracker tracker) {
        this.shape = shape;
        this.tracker = tracker;
        RecordOutput out = new RecordOutput(16);
        ValueSerializer.INSTANCE.write(1L, out);
        this.resultValue = out.toByteArray();
    }

    @Override
    public void start(Listener l) {
        this.listener = l;
        for (int i = 0; i < shape.completers(); i++) {
            Thread t = new Thread(this::complete, "simulated-completer-" + i);
            t.setDaemon(true);
            completers.add(t);
            t.start();
        }
        for (int e = 0; e < shape.executors(); e++) {
            String id = "exec-" + e;
            String host = "host-" + (e % shape.hosts());
            locations.put(id, new BlockLocation(id, host, 7337));
            l.executorAdded(new ExecutorId(id), host, shape.coresPerExecutor());
        }
    }

    @Override
    public void launch(ExecutorId executorId, TaskDescription task) {
        launches.incrementAndGet();
        launched.add(new Launched(executorId.value(), task));
    }

    private void complete() {
        try {
            while (true) {
                Launched l = launched.take();
                if (l.task().taskId() < 0) { // STOP
                    return;
                }
                synchronized (holdLock) {
                    while (holding) {
                        holdLock.wait();
                    }
                }
                listener.taskEnded(new TaskAttemptId(l.task().taskId()), outcome(l));
                completed.incrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private TaskOutcome outcome(Launched l) {
        TaskDescription d = l.task();
        StageKind kind = stageKinds.computeIfAbsent(d.stageId(), id -> kindOf(d.serializedTask()));
        byte[] value = resultValue;
        if (kind.isMap()) {
            lastShuffleId = kind.shuffleId();
            long[] lengths = shape.profile().lengths(d.partition(), kind.numReduces());
            MapStatus status =
                    MapStatus.of(kind.shuffleId(), d.partition(), d.taskId(), locations.get(l.executorId()), lengths);
            RecordOutput out = new RecordOutput(1024);
            ValueSerializer.INSTANCE.write(status, out);
            value = out.toByteArray();
        }
        return new TaskOutcome.Success(value, Map.of(), new TaskMetrics());
    }

    private static StageKind kindOf(byte[] serializedTask) {
        try (ObjectInputStream in =
                new ValueSerializer.ContextObjectInputStream(new ByteArrayInputStream(serializedTask))) {
            Task t = (Task) in.readObject();
            if (t instanceof ShuffleMapTask smt) {
                return new StageKind(
                        smt.dependency().shuffleId(), smt.dependency().spec().numPartitions());
            }
            return StageKind.RESULT;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Completers keep outcomes back from now on (tasks still launch until every core is busy). */
    void hold() {
        synchronized (holdLock) {
            holding = true;
        }
    }

    void release() {
        synchronized (holdLock) {
            holding = false;
            holdLock.notifyAll();
        }
    }

    long launches() {
        return launches.get();
    }

    long completed() {
        return completed.get();
    }

    /** The shuffle the latest map task wrote to; -1 before any. */
    int lastShuffleId() {
        return lastShuffleId;
    }

    MapOutputTracker tracker() {
        return tracker;
    }

    Shape shape() {
        return shape;
    }

    @Override
    public void kill(TaskAttemptId taskId, String reason) {
        // Tasks end as soon as a completer gets to them; there is nothing to stop.
    }

    @Override
    public void stop() {
        release();
        for (int i = 0; i < completers.size(); i++) {
            launched.add(STOP);
        }
    }

    @Override
    public int defaultParallelism() {
        return shape.slots();
    }

    @Override
    public void removeCachedDataset(int nodeId) {}

    @Override
    public void removeShuffle(int shuffleId) {
        // Simulated executors write no files.
    }
}
