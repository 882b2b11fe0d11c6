package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import dev.weft.error.WeftError;
import dev.weft.events.StageState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.exec.TaskContext;
import dev.weft.scheduler.JobFailedException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Fault injection in the local backend: task retries, job failure, lost and corrupt map output. */
class FaultToleranceTest {
    static WeftContext ctx;
    static final RecordingListener events = new RecordingListener();
    static List<Pair<String, Integer>> data;
    static Map<String, Integer> reference;

    @BeforeAll
    static void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"));
        ctx.addListener(events);
        data = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            data.add(Pair.of("k" + (i % 97), i));
        }
        reference = new TreeMap<>();
        data.forEach(p -> reference.merge(p.key(), p.value(), Integer::sum));
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    @BeforeEach
    void reset() {
        events.clear();
    }

    @Test
    void aTaskThatFailsOnItsFirstAttemptIsRetriedAndTheJobSucceeds() {
        LongAccumulator rows = ctx.longAccumulator("rows");
        Dataset<Integer> ds = ctx.parallelize(List.of(1, 2, 3, 4, 5, 6), 3).map(x -> {
            rows.add(1L);
            if (TaskContext.get().partitionId() == 1 && TaskContext.get().attemptNumber() == 0) {
                throw new IllegalStateException("injected failure on the first attempt");
            }
            return x * 10;
        });
        assertEquals(List.of(10, 20, 30, 40, 50, 60), ds.collect());
        List<WeftEvent.TaskStateChanged> failed = events.tasks(t -> t.to() == TaskState.FAILED);
        assertEquals(1, failed.size());
        assertEquals(1, failed.get(0).partition());
        assertTrue(
                failed.get(0).reason().contains("injected failure"),
                failed.get(0).reason());
        // The failed attempt added 1 before throwing; only successful attempts count.
        assertEquals(6L, rows.value());
    }

    @Test
    void aTaskThatAlwaysFailsFailsTheJobNamingStageTaskAndException() {
        Dataset<Integer> ds = ctx.parallelize(List.of(1, 2, 3, 4), 2).map(x -> {
            if (x == 3) {
                throw new ArithmeticException("bad record " + x);
            }
            return x;
        });
        JobFailedException e = assertThrows(JobFailedException.class, ds::count);
        String m = e.getMessage();
        assertTrue(m.contains("stage") && m.contains("map at FaultToleranceTest.java"), m);
        assertTrue(m.contains("partition 1 failed 4 times"), m);
        assertTrue(m.contains("java.lang.ArithmeticException: bad record 3"), m);
        assertInstanceOf(ArithmeticException.class, e.getCause());
        assertEquals(WeftError.USER_CODE_FAILED, e.error());
        assertEquals(
                List.of(
                        WeftError.USER_CODE_FAILED,
                        WeftError.USER_CODE_FAILED,
                        WeftError.USER_CODE_FAILED,
                        WeftError.USER_CODE_FAILED),
                errorsOf(TaskState.FAILED));
        // the context stays usable
        assertEquals(4, ctx.parallelize(List.of(1, 2, 3, 4), 2).count());
    }

    @Test
    void lostMapOutputReRunsOnlyThatMapPartition() throws IOException {
        PairDataset<String, Integer> sums = ctx.parallelizePairs(data, 4).reduceByKey(Integer::sum, 3);
        assertEquals(reference, new TreeMap<>(sums.collectAsMap()));
        int mapStage = mapStageOf();
        assertEquals(4, events.launches(mapStage).size());
        Path shuffleDir = ctx.localExecutor().shuffleFiles().baseDirs().get(0);
        List<Path> map2 = shuffleFiles(shuffleDir, sums, 2);
        assertEquals(2, map2.size(), "data and index file of map 2: " + map2);
        for (Path p : map2) {
            Files.delete(p);
        }
        events.clear();

        assertEquals(reference, new TreeMap<>(sums.collectAsMap()));
        List<WeftEvent.TaskStateChanged> mapLaunches = events.launches(mapStage);
        assertEquals(1, mapLaunches.size(), "only the lost map partition re-runs");
        assertEquals(2, mapLaunches.get(0).partition());
        assertTrue(!events.tasks(t -> t.to() == TaskState.FETCH_FAILED).isEmpty());
        assertTrue(errorsOf(TaskState.FETCH_FAILED).stream().allMatch(c -> c == WeftError.FETCH_FAILED));
        assertTrue(!events.stages(s -> s.stageId() == mapStage && s.to() == StageState.RUNNING)
                .isEmpty());
    }

    @Test
    void aCorruptedShuffleFileIsReportedAsCorruptionAndRegenerated() throws IOException {
        PairDataset<String, Integer> sums = ctx.parallelizePairs(data, 3).reduceByKey(Integer::sum, 2);
        assertEquals(reference, new TreeMap<>(sums.collectAsMap()));
        Path shuffleDir = ctx.localExecutor().shuffleFiles().baseDirs().get(0);
        Path dataFile = shuffleFiles(shuffleDir, sums, 1).stream()
                .filter(p -> p.toString().endsWith(".data"))
                .findFirst()
                .orElseThrow();
        try (RandomAccessFile f = new RandomAccessFile(dataFile.toFile(), "rw")) {
            long pos = f.length() / 2;
            f.seek(pos);
            int b = f.read();
            f.seek(pos);
            f.write(b ^ 0x5A);
        }
        events.clear();
        assertEquals(reference, new TreeMap<>(sums.collectAsMap()));
        List<WeftEvent.TaskStateChanged> fetchFailures = events.tasks(t -> t.to() == TaskState.FETCH_FAILED);
        assertTrue(!fetchFailures.isEmpty());
        assertEquals(WeftError.SHUFFLE_BLOCK_CORRUPT, fetchFailures.get(0).error());
        String reason = fetchFailures.get(0).reason().toLowerCase(Locale.ROOT);
        assertTrue(reason.contains("checksum") || reason.contains("corrupt"), reason);
        assertTrue(
                events.stagesReaching(StageState.FAILED).get(0).reason().startsWith("corrupt block"),
                events.stagesReaching(StageState.FAILED).get(0).reason());
        assertEquals(1, events.launches(runningMapStage()).size(), "only the corrupt map output is regenerated");
    }

    @Test
    void aResultThatCannotBeSerializedFailsTheJobAtOnceWithoutRetrying() {
        Dataset<Object> ds = ctx.parallelize(List.of(1, 2, 3, 4), 2).map(x -> new Object());
        JobFailedException e = assertThrows(JobFailedException.class, ds::collect);
        assertEquals(WeftError.NOT_SERIALIZABLE, e.error());
        List<WeftEvent.TaskStateChanged> launches = events.tasks(t -> t.to() == TaskState.RUNNING);
        assertEquals(
                launches.size(),
                launches.stream()
                        .map(WeftEvent.TaskStateChanged::partition)
                        .distinct()
                        .count(),
                "no partition was launched twice");
        assertTrue(errorsOf(TaskState.FAILED).stream().allMatch(c -> c == WeftError.NOT_SERIALIZABLE));
    }

    @Test
    void anOutOfMemoryErrorInATaskIsRetriedUpToTheLimitAndNamedAsSuch() {
        Dataset<Integer> ds = ctx.parallelize(List.of(1, 2), 2).map(x -> {
            if (x == 2) {
                throw new OutOfMemoryError("injected");
            }
            return x;
        });
        JobFailedException e = assertThrows(JobFailedException.class, ds::count);
        assertEquals(WeftError.OUT_OF_MEMORY, e.error());
        assertEquals(4, errorsOf(TaskState.FAILED).size());
        assertTrue(errorsOf(TaskState.FAILED).stream().allMatch(c -> c == WeftError.OUT_OF_MEMORY));
    }

    private static List<WeftError> errorsOf(TaskState state) {
        return events.tasks(t -> t.to() == state).stream()
                .map(WeftEvent.TaskStateChanged::error)
                .collect(Collectors.toList());
    }

    /** The id of the shuffle-map stage of the most recent job (the only shuffle in these jobs). */
    private static int mapStageOf() {
        return events.stages(WeftEvent.StageStateChanged::shuffleMap).get(0).stageId();
    }

    /** The shuffle-map stage that ran in these jobs (each has exactly one shuffle). */
    private static int runningMapStage() {
        return events.stages(s -> s.shuffleMap() && s.to() == StageState.RUNNING)
                .get(0)
                .stageId();
    }

    private static List<Path> shuffleFiles(Path dir, PairDataset<?, ?> ds, int mapId) throws IOException {
        int shuffleId = ((dev.weft.plan.ShuffledNode<?, ?>) (Object) ds.node())
                .shuffleDependency()
                .shuffleId();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().startsWith("shuffle_" + shuffleId + "_" + mapId + "_"))
                    .collect(Collectors.toList());
        }
    }
}
