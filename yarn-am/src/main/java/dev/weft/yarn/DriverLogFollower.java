package dev.weft.yarn;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Streams the driver's log to the client ({@code weft.client.follow=true}): polls the driver's {@code
 * api/v1/driver-log?from=N} through the tracking link and hands each new line on, prefixed {@value #PREFIX}. The driver
 * answers whole lines only, so the next offset is the old one plus the answer's bytes.
 *
 * <p>Confined to the client's thread.
 */
final class DriverLogFollower {
    static final String PREFIX = "driver| ";

    private final StageProgressPrinter.Fetcher fetcher;
    private final Consumer<String> out;
    private long offset;

    DriverLogFollower(StageProgressPrinter.Fetcher fetcher, Consumer<String> out) {
        this.fetcher = fetcher;
        this.out = out;
    }

    /** Prints the lines the driver logged since the last poll; a driver that does not answer is tried again later. */
    void poll(String trackingUrl) {
        String chunk;
        try {
            chunk = fetcher.get(trackingUrl + "api/v1/driver-log?from=" + offset);
        } catch (IOException | RuntimeException e) {
            return;
        }
        if (chunk == null || chunk.isEmpty()) {
            return;
        }
        offset += chunk.getBytes(StandardCharsets.UTF_8).length;
        chunk.lines().forEach(l -> out.accept(PREFIX + l));
    }

    long offset() {
        return offset;
    }
}
