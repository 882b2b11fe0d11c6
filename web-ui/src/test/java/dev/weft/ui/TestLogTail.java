package dev.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestLogTail {
    @TempDir
    Path dir;

    @Test
    void answersWholeLinesFromAnOffsetAndNothingPastTheEnd() throws Exception {
        Path log = dir.resolve("driver.log");
        Files.writeString(log, "one\ntwo\nthree (being writ", StandardCharsets.UTF_8);
        LogTail tail = new LogTail(log);
        assertEquals("one\ntwo\n", tail.from(0));
        assertEquals("two\n", tail.from(4));
        assertEquals("", tail.from(8), "a line still being written is not answered yet");
        assertEquals("", tail.from(10_000), "an offset past the end (a rolled, shorter log) answers nothing");
        assertEquals("", new LogTail(dir.resolve("absent.log")).from(0));
    }

    @Test
    void theRouteServesTheLiveLogAndRefusesBadOffsetsAndTheHistory() throws Exception {
        Path log = dir.resolve("driver.log");
        Files.writeString(log, "registered\n", StandardCharsets.UTF_8);
        StatusStore store = new StatusStore();
        UiRoutes.Response r = UiRoutes.get(store, new LogTail(log), "api/v1/driver-log", Map.of("from", "0"));
        assertEquals(200, r.status());
        assertEquals("registered\n", r.body());
        UiRoutes.Response bad = UiRoutes.get(store, new LogTail(log), "api/v1/driver-log", Map.of("from", "-3"));
        assertEquals(404, bad.status());
        assertTrue(bad.body().contains("no log offset '-3'"), bad.body());
        UiRoutes.Response history = UiRoutes.get(store, "api/v1/driver-log", Map.of());
        assertEquals(404, history.status());
        assertTrue(history.body().contains("only the running driver serves its log"), history.body());
    }
}
