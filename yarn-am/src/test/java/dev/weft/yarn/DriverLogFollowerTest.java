package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class DriverLogFollowerTest {
    private static final String URL = "http://rm:8088/proxy/application_1_0001/";

    @Test
    void newLinesArePrintedOnceAndTheOffsetCountsBytesNotCharacters() {
        List<String> asked = new ArrayList<>();
        Deque<String> answers = new ArrayDeque<>(List.of("a line\nnaïve ü\n", "", "third\n"));
        List<String> printed = new ArrayList<>();
        DriverLogFollower f = new DriverLogFollower(
                url -> {
                    asked.add(url);
                    return answers.pop();
                },
                printed::add);
        f.poll(URL);
        f.poll(URL);
        f.poll(URL);
        int first = "a line\nnaïve ü\n".getBytes(StandardCharsets.UTF_8).length;
        assertEquals(
                List.of(
                        URL + "api/v1/driver-log?from=0",
                        URL + "api/v1/driver-log?from=" + first,
                        URL + "api/v1/driver-log?from=" + first),
                asked);
        assertEquals(List.of("driver| a line", "driver| naïve ü", "driver| third"), printed);
        assertEquals(first + 6, f.offset());
    }

    @Test
    void aDriverThatDoesNotAnswerIsAskedAgainFromTheSameOffset() {
        List<String> asked = new ArrayList<>();
        Deque<Object> answers = new ArrayDeque<>(List.of(new IOException("connection refused"), "x\n"));
        List<String> printed = new ArrayList<>();
        DriverLogFollower f = new DriverLogFollower(
                url -> {
                    asked.add(url);
                    Object a = answers.pop();
                    if (a instanceof IOException e) {
                        throw e;
                    }
                    return (String) a;
                },
                printed::add);
        f.poll(URL);
        f.poll(URL);
        assertEquals(List.of(URL + "api/v1/driver-log?from=0", URL + "api/v1/driver-log?from=0"), asked);
        assertEquals(List.of("driver| x"), printed);
    }
}
