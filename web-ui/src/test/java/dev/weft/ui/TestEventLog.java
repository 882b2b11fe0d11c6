package dev.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.WeftEvent;
import java.io.FileNotFoundException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestEventLog {
    @TempDir
    java.nio.file.Path tmp;

    private FileSystem fs;
    private Path dir;

    @BeforeEach
    void localFileSystem() throws Exception {
        fs = FileSystem.getLocal(new Configuration()).getRawFileSystem();
        dir = new Path(tmp.toUri());
    }

    @Test
    void aReplayedLogShowsWhatTheLiveStoreShowed() throws Exception {
        StatusStore live = new StatusStore();
        live.applicationStarted("application_1_0001", "recorded", "alice", 1, 1000);
        EventLogWriter log = EventLogWriter.start(fs, dir, "application_1_0001", "recorded", "alice", 1, 1000);
        Map<String, String> env = Redaction.shown(
                Map.of("weft.executor.instances", "2", "weft.secret.thing", "hunter2", "unrelated.key", "x"));
        live.environment(env);
        log.environment(env, 1001);
        assertTrue(fs.exists(new Path(dir, "application_1_0001_1.inprogress")));
        RecordedJob.run(live, log);
        String logs = "http://nm-1:8042/node/containerlogs/container_1_0001_01_000002/alice";
        live.executorLogs("driver", logs);
        log.executorLogs("driver", logs, 8000);
        live.applicationEnded("SUCCEEDED", 9000);
        Path finished = log.finish("SUCCEEDED", 9000);
        assertEquals(new Path(dir, "application_1_0001_1"), finished);
        assertFalse(fs.exists(new Path(dir, "application_1_0001_1.inprogress")));

        StatusStore replayed = new StatusStore();
        EventLogs.Replay r = EventLogs.replay(fs, finished, replayed);
        assertTrue(r.complete());
        assertEquals(0, r.skipped());
        for (String resource : List.of("application", "jobs", "jobs/0", "stages", "stages/0/0/tasks", "executors")) {
            assertEquals(
                    UiRoutes.get(live, "api/v1/" + resource, Map.of()).body(),
                    UiRoutes.get(replayed, "api/v1/" + resource, Map.of()).body(),
                    resource);
        }
        assertEquals(
                Map.of("weft.executor.instances", "2", "weft.secret.thing", Redaction.REDACTED),
                replayed.environment());
        String text = Files.readString(java.nio.file.Path.of(finished.toUri()));
        assertFalse(text.contains("hunter2"));
        List<EventLogs.Entry> listed = EventLogs.list(fs, dir);
        assertEquals(1, listed.size());
        assertEquals("application_1_0001", listed.get(0).appId());
        assertEquals(1, listed.get(0).attempt());
        assertFalse(listed.get(0).inProgress());
        assertEquals(text.getBytes(StandardCharsets.UTF_8).length, listed.get(0).length());
    }

    @Test
    void aLogCutMidLineReplaysAsIncompleteAndAGarbledLineInsideNamesFileAndLine() throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add(EventJson.applicationStart("application_2_0002", "cut", "bob", 1, 5));
        List<WeftEvent> events = new ArrayList<>();
        RecordedJob.run(events::add);
        events.forEach(e -> lines.add(EventJson.encode(e)));
        String whole = String.join("\n", lines) + "\n";
        String cut = whole.substring(0, whole.length() - 20);
        java.nio.file.Path inProgress = tmp.resolve("application_2_0002_1.inprogress");
        Files.writeString(inProgress, cut);
        StatusStore store = new StatusStore();
        EventLogs.Replay r = EventLogs.replay(fs, new Path(inProgress.toUri()), store);
        assertFalse(r.complete());
        assertEquals("INCOMPLETE", store.summary().state());
        assertEquals(1, store.jobs().size());

        lines.add(3, "{\"event\":\"TaskStateChanged\",\"time\":\"soon\"}");
        lines.add(5, "{\"event\":\"SomethingNewer\",\"time\":1}");
        java.nio.file.Path garbled = tmp.resolve("application_3_0003_1");
        Files.writeString(garbled, String.join("\n", lines) + "\n");
        EventLogs.EventLogException e = assertThrows(
                EventLogs.EventLogException.class,
                () -> EventLogs.replay(fs, new Path(garbled.toUri()), new StatusStore()));
        assertTrue(
                e.getMessage().contains("application_3_0003_1, line 4: \"time\" is missing or not a whole number"),
                e.getMessage());

        lines.remove(3);
        Files.writeString(garbled, String.join("\n", lines) + "\n" + "not json at all\n" + lines.get(1) + "\n");
        e = assertThrows(
                EventLogs.EventLogException.class,
                () -> EventLogs.replay(fs, new Path(garbled.toUri()), new StatusStore()));
        assertTrue(e.getMessage().contains("line " + (lines.size() + 1) + ": not JSON"), e.getMessage());

        lines.add(lines.size(), EventJson.applicationEnd("FAILED", 10));
        Files.writeString(garbled, String.join("\n", lines) + "\n");
        StatusStore skipped = new StatusStore();
        EventLogs.Replay ok = EventLogs.replay(fs, new Path(garbled.toUri()), skipped);
        assertEquals(1, ok.skipped());
        assertEquals("FAILED", skipped.summary().state());
    }

    @Test
    void aMissingDirectoryIsRefusedNamingTheKey() {
        FileNotFoundException e = assertThrows(
                FileNotFoundException.class,
                () -> EventLogWriter.start(fs, new Path(dir, "absent"), "application_1_1", "n", "u", 1, 0));
        assertTrue(e.getMessage().contains("weft.event-log.dir"), e.getMessage());
    }

    @Test
    void everyEventSurvivesItsJsonLine() {
        List<WeftEvent> events = new ArrayList<>();
        RecordedJob.run(events::add);
        events.add(new WeftEvent.ExecutorRequested(4L, "host-a", true, false, "2 tasks\tprefer \"it\""));
        events.add(new WeftEvent.ExclusionChanged(
                5L, dev.weft.events.ExclusionScope.NODE, "host-a", true, 99L, "2 task failures; \"disk\" full"));
        events.add(new WeftEvent.ExclusionChanged(
                6L, dev.weft.events.ExclusionScope.EXECUTOR, "e1", false, 0L, "expired"));
        for (WeftEvent e : events) {
            WeftEvent back = EventJson.decode(EventJson.parse(EventJson.encode(e)));
            if (e instanceof WeftEvent.TaskStateChanged t && t.metrics() != null) {
                WeftEvent.TaskStateChanged b = (WeftEvent.TaskStateChanged) back;
                assertEquals(Counters.of(t.metrics()), Counters.of(b.metrics()));
                assertEquals(t.metrics().fetchWaitNanos, b.metrics().fetchWaitNanos);
                assertEquals(t.metrics().runNanos, b.metrics().runNanos);
                assertEquals(withoutMetrics(t), withoutMetrics(b));
            } else if (e instanceof WeftEvent.JobStateChanged j && j.metrics() != null) {
                assertEquals(Counters.of(j.metrics()), Counters.of(((WeftEvent.JobStateChanged) back).metrics()));
            } else {
                assertEquals(e, back);
            }
        }
    }

    private static WeftEvent.TaskStateChanged withoutMetrics(WeftEvent.TaskStateChanged t) {
        return new WeftEvent.TaskStateChanged(
                t.timeMillis(),
                t.taskId(),
                t.stageId(),
                t.stageAttempt(),
                t.partition(),
                t.attempt(),
                t.executorId(),
                t.from(),
                t.to(),
                t.reason(),
                null,
                t.locality(),
                t.error());
    }
}
