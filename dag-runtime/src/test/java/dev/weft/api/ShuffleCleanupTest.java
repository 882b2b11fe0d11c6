package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.core.Pair;
import dev.weft.events.TaskState;
import dev.weft.shuffle.format.ShuffleFileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Shuffle files live as long as the program can read the shuffle again: a shuffle whose datasets the program dropped
 * is deleted once the garbage collector notices (its map outputs forgotten too), while one whose dataset is still
 * held keeps its files and a later action reuses them without running a map task.
 */
class ShuffleCleanupTest {
    private WeftContext ctx;
    private final RecordingListener events = new RecordingListener();
    private final List<String> words = new ArrayList<>();

    @BeforeEach
    void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"));
        ctx.addListener(events);
        for (int i = 0; i < 5_000; i++) {
            words.add("w" + (i * 7919 % 613));
        }
    }

    @AfterEach
    void stop() {
        ctx.close();
    }

    private Map<String, Long> reference() {
        return words.stream().collect(Collectors.groupingBy(w -> w, TreeMap::new, Collectors.counting()));
    }

    private PairDataset<String, Long> counts() {
        return ctx.parallelize(words, 4).mapToPair(w -> Pair.of(w, 1L)).reduceByKey(Long::sum, 3);
    }

    /** The ids of the shuffles with files in the local executor's shuffle directories. */
    private Set<Integer> shufflesOnDisk() throws IOException {
        Set<Integer> ids = new TreeSet<>();
        for (Path dir : ctx.localExecutor().shuffleFiles().baseDirs()) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.startsWith("shuffle_") && name.endsWith(ShuffleFileNames.DATA_SUFFIX)) {
                        ids.add(Integer.parseInt(name.split("_")[1]));
                    }
                }
            }
        }
        return ids;
    }

    /** Runs a shuffle whose dataset nobody keeps; returns its id. */
    private int runAndDropAShuffle() throws IOException {
        Set<Integer> before = shufflesOnDisk();
        assertEquals(reference(), new TreeMap<>(counts().collectAsMap()));
        Set<Integer> after = new TreeSet<>(shufflesOnDisk());
        after.removeAll(before);
        assertEquals(1, after.size(), "one new shuffle on disk: " + after);
        return after.iterator().next();
    }

    @Test
    void anUnreachableShuffleIsDeletedAndAHeldOneIsKeptAndReused() throws Exception {
        PairDataset<String, Long> kept = counts();
        assertEquals(reference(), new TreeMap<>(kept.collectAsMap()));
        Set<Integer> keptIds = shufflesOnDisk();
        assertEquals(1, keptIds.size(), "the held dataset's shuffle: " + keptIds);
        int dropped = runAndDropAShuffle();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (shufflesOnDisk().contains(dropped)) {
            assertTrue(System.nanoTime() < deadline, "shuffle " + dropped + " still on disk after 30 s of GCs");
            System.gc(); // what frees the dropped dataset; the cleaner then deletes its files
            Thread.sleep(20);
        }
        assertEquals(keptIds, shufflesOnDisk(), "the held dataset's shuffle stays");

        events.clear();
        assertEquals(reference(), new TreeMap<>(kept.collectAsMap()));
        List<Integer> stagesRun = events.tasks(t -> t.to() == TaskState.RUNNING).stream()
                .map(t -> t.stageId())
                .distinct()
                .toList();
        assertEquals(1, stagesRun.size(), "only the reduce stage ran: the held shuffle was reused");
        assertEquals(keptIds, shufflesOnDisk());
    }
}
