package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.events.TaskLocality;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Locality end to end on the local backend (one executor, "local", on host "localhost"). Local-file splits
 * have no preferred hosts: Hadoop reports "localhost" for every block of a local file, which says nothing
 * about where a reader should run, so hdfs-io drops it and the tasks are NO_PREF (hdfs-io TextFilesTest). A cached partition is
 * PROCESS_LOCAL on the next job.
 */
class LocalityTest {
    static WeftContext ctx;
    static final RecordingListener events = new RecordingListener();

    @BeforeAll
    static void start() {
        ctx = new WeftContext(WeftConf.defaults().with("weft.local.threads", "2"));
        ctx.addListener(events);
    }

    @AfterAll
    static void stop() {
        ctx.close();
    }

    @BeforeEach
    void reset() {
        events.clear();
    }

    private static List<TaskLocality> launchLocalities() {
        List<TaskLocality> out = new ArrayList<>();
        for (WeftEvent.TaskStateChanged t : events.tasks(t -> t.to() == TaskState.RUNNING)) {
            out.add(t.locality());
        }
        return out;
    }

    @Test
    void aCachedDatasetIsReadProcessLocalByTheNextJob() {
        Dataset<Integer> ds = ctx.parallelize(List.of(1, 2, 3, 4, 5, 6, 7, 8), 4)
                .map(x -> x * 2)
                .cache();
        assertEquals(8L, ds.count());
        assertEquals(
                List.of(TaskLocality.NO_PREF, TaskLocality.NO_PREF, TaskLocality.NO_PREF, TaskLocality.NO_PREF),
                launchLocalities());
        events.clear();
        assertEquals(List.of(3, 5, 7, 9, 11, 13, 15, 17), ds.map(x -> x + 1).collect());
        assertEquals(
                List.of(
                        TaskLocality.PROCESS_LOCAL,
                        TaskLocality.PROCESS_LOCAL,
                        TaskLocality.PROCESS_LOCAL,
                        TaskLocality.PROCESS_LOCAL),
                launchLocalities());
        events.clear();
        ds.unpersist();
        assertEquals(8L, ds.count());
        assertTrue(
                launchLocalities().stream().allMatch(l -> l == TaskLocality.NO_PREF),
                launchLocalities().toString());
    }
}
