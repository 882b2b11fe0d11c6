package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class StageProgressPrinterTest {
    private static final String URL = "http://rm:8088/proxy/application_1_0001/";

    private static String progress(String... stages) {
        return "{\"state\":\"RUNNING\",\"progress\":0.5,\"activeStages\":[" + String.join(",", stages) + "]}";
    }

    private static String stage(int id, int attempt, String name, int done, int total, int running, int failed) {
        return "{\"stageId\":" + id + ",\"attempt\":" + attempt + ",\"name\":\"" + name + "\",\"numTasks\":" + total
                + ",\"succeededTasks\":" + done + ",\"runningTasks\":" + running + ",\"failedTasks\":" + failed + "}";
    }

    @Test
    void withoutATerminalAStagesLineIsPrintedWhenItChanges() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Deque<String> answers = new ArrayDeque<>(List.of(
                progress(stage(3, 0, "reduceByKey at WordCount.java:42", 120, 200, 8, 2)),
                progress(stage(3, 0, "reduceByKey at WordCount.java:42", 120, 200, 8, 2)),
                progress(
                        stage(3, 0, "reduceByKey at WordCount.java:42", 150, 200, 8, 2),
                        stage(4, 1, "map at X.java:7", 0, 10, 2, 0))));
        StageProgressPrinter p =
                new StageProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, url -> {
                    assertEquals(URL + "api/v1/progress", url);
                    return answers.pop();
                });
        p.poll(URL);
        p.poll(URL);
        p.poll(URL);
        assertEquals(
                "[stage 3 reduceByKey at WordCount.java:42] 120/200 tasks, 8 running, 2 failed\n"
                        + "[stage 3 reduceByKey at WordCount.java:42] 150/200 tasks, 8 running, 2 failed\n"
                        + "[stage 4.1 map at X.java:7] 0/10 tasks, 2 running, 0 failed\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void onATerminalTheBlockIsRedrawnInPlaceAndOtherLinesStartAFreshBlock() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Deque<String> answers = new ArrayDeque<>(List.of(
                progress(stage(0, 0, "a", 1, 4, 3, 0), stage(1, 0, "b", 0, 2, 1, 0)),
                progress(stage(1, 0, "b", 1, 2, 1, 0)),
                progress(stage(1, 0, "b", 2, 2, 0, 0))));
        StageProgressPrinter p = new StageProgressPrinter(
                new PrintStream(bytes, true, StandardCharsets.UTF_8), true, url -> answers.pop());
        p.poll(URL);
        p.poll(URL);
        p.println("weft: executors run in application application_1_0002");
        p.poll(URL);
        String esc = "\033";
        assertEquals(
                "\r" + esc + "[K[stage 0 a] 1/4 tasks, 3 running, 0 failed\n"
                        + "\r" + esc + "[K[stage 1 b] 0/2 tasks, 1 running, 0 failed\n"
                        // two lines up, the remaining stage, the second line blanked
                        + esc + "[2A\r" + esc + "[K[stage 1 b] 1/2 tasks, 1 running, 0 failed\n"
                        + "\r" + esc + "[K\n"
                        + "weft: executors run in application application_1_0002\n"
                        + "\r" + esc + "[K[stage 1 b] 2/2 tasks, 0 running, 0 failed\n",
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aDriverUiThatCannotBeReachedIsSaidOnceAfterThreeFailuresInARow() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StageProgressPrinter p =
                new StageProgressPrinter(new PrintStream(bytes, true, StandardCharsets.UTF_8), false, url -> {
                    throw new IOException("401 authentication required");
                });
        p.poll(URL);
        p.poll(URL);
        assertEquals("", bytes.toString(StandardCharsets.UTF_8));
        for (int i = 0; i < 5; i++) {
            p.poll(URL);
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(1, out.lines().count(), out);
        assertTrue(out.contains("not available from the driver's UI (java.io.IOException: 401 authentication"), out);
    }
}
