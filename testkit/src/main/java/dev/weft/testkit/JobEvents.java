package dev.weft.testkit;

import dev.weft.events.ExecutorState;
import dev.weft.events.StageState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The events a job's driver recorded ({@link EventRecorder}), in order, with the questions tests ask of them: how
 * many attempts each partition of a stage took, which hosts a stage's tasks ran on, which executors were lost and
 * why. Task metrics are not recorded.
 *
 * <p>Immutable.
 */
public final class JobEvents {
    private final List<WeftEvent> events;

    JobEvents(List<WeftEvent> events) {
        this.events = List.copyOf(events);
    }

    /**
     * Reads what the driver has recorded under {@code dir} so far: the whole stream once the driver closed its
     * context, else everything it flushed. A last line cut short by a driver that died while writing is ignored.
     */
    static JobEvents read(FileSystem fs, Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (FSDataInputStream in = fs.open(EventRecorder.eventsFile(dir));
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                lines.add(line);
            }
        } catch (FileNotFoundException e) {
            return new JobEvents(List.of());
        }
        List<WeftEvent> events = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            try {
                events.add(EventCodec.decode(lines.get(i)));
            } catch (IllegalArgumentException e) {
                if (i < lines.size() - 1) {
                    throw new IOException("event " + (i + 1) + " recorded in " + dir + " cannot be read", e);
                }
            }
        }
        return new JobEvents(events);
    }

    public List<WeftEvent> all() {
        return events;
    }

    public <E extends WeftEvent> List<E> of(Class<E> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    /** Task transitions of stage {@code stageId} (any attempt of the stage) that match {@code filter}. */
    public List<WeftEvent.TaskStateChanged> tasks(int stageId, Predicate<WeftEvent.TaskStateChanged> filter) {
        return of(WeftEvent.TaskStateChanged.class).stream()
                .filter(t -> t.stageId() == stageId)
                .filter(filter)
                .toList();
    }

    /** For each partition of stage {@code stageId}: how many task attempts were launched, over all stage attempts. */
    public Map<Integer, Integer> attemptsByPartition(int stageId) {
        Map<Integer, Integer> attempts = new TreeMap<>();
        for (WeftEvent.TaskStateChanged t : tasks(stageId, t -> t.from() == null && t.to() == TaskState.RUNNING)) {
            attempts.merge(t.partition(), 1, Integer::sum);
        }
        return attempts;
    }

    /** Task attempts of stage {@code stageId} launched in all (the number of partitions when nothing was re-run). */
    public int launchedAttempts(int stageId) {
        return attemptsByPartition(stageId).values().stream()
                .mapToInt(Integer::intValue)
                .sum();
    }

    /** Attempts of stage {@code stageId} that started running (1 when no fetch failure re-submitted it). */
    public int stageAttempts(int stageId) {
        return (int) of(WeftEvent.StageStateChanged.class).stream()
                .filter(s -> s.stageId() == stageId && s.to() == StageState.RUNNING)
                .count();
    }

    /** Task attempts of stage {@code stageId} that ended in {@code state}. */
    public int tasksEndedIn(int stageId, TaskState state) {
        return tasks(stageId, t -> t.to() == state).size();
    }

    /** The hosts of the executors that ran (launched) tasks of stage {@code stageId}. */
    public Set<String> hostsOf(int stageId) {
        Map<String, String> hostByExecutor = new TreeMap<>();
        for (WeftEvent.ExecutorStateChanged x : of(WeftEvent.ExecutorStateChanged.class)) {
            if (x.to() == ExecutorState.RUNNING) {
                hostByExecutor.put(x.executorId(), x.host());
            }
        }
        Set<String> hosts = new TreeSet<>();
        for (WeftEvent.TaskStateChanged t : tasks(stageId, t -> t.from() == null)) {
            String host = hostByExecutor.get(t.executorId());
            hosts.add(host == null ? "unknown executor " + t.executorId() : host);
        }
        return hosts;
    }

    /** Executors the driver lost, in order. */
    public List<WeftEvent.ExecutorStateChanged> lostExecutors() {
        return of(WeftEvent.ExecutorStateChanged.class).stream()
                .filter(x -> x.to() == ExecutorState.LOST)
                .toList();
    }

    /**
     * Ids of the executors that left, in the order they were first seen to: disconnected or lost. An executor whose
     * connection closed shortly before the job ended may show only as disconnected, since the cause of a loss waits
     * for YARN's report of the container.
     */
    public List<String> departedExecutors() {
        return of(WeftEvent.ExecutorStateChanged.class).stream()
                .filter(x -> x.to() == ExecutorState.DISCONNECTED || x.to() == ExecutorState.LOST)
                .map(WeftEvent.ExecutorStateChanged::executorId)
                .distinct()
                .toList();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (WeftEvent e : events) {
            sb.append(EventCodec.encode(e).replace('\t', ' ')).append('\n');
        }
        return sb.toString();
    }
}
