package dev.weft.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.WeftConf;
import dev.weft.events.JobState;
import dev.weft.events.WeftEvent;
import dev.weft.events.WeftListener;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/** {@code weft.listeners}: configured classes see every event of the context and are closed with it. */
class ExtraListenersTest {
    /** Records into a static list: the context builds its own instance. */
    public static final class Configured implements WeftListener, AutoCloseable {
        static final List<String> SEEN = new ArrayList<>();
        private final String appName;

        public Configured(WeftConf conf, Configuration hadoopConf) {
            this.appName = conf.get(dev.weft.conf.RuntimeConfigKeys.APP_NAME);
        }

        @Override
        public synchronized void onEvent(WeftEvent event) {
            if (event instanceof WeftEvent.JobStateChanged j) {
                synchronized (SEEN) {
                    SEEN.add(appName + ":job " + j.jobId() + " " + j.to());
                }
            }
        }

        @Override
        public void close() {
            synchronized (SEEN) {
                SEEN.add(appName + ":closed");
            }
        }
    }

    public static final class NoArguments implements WeftListener {
        static volatile int events;

        @Override
        public void onEvent(WeftEvent event) {
            events++;
        }
    }

    public static final class NotAListener {}

    public static final class Throwing implements WeftListener {
        public Throwing() {
            throw new IllegalStateException("cannot reach the audit service");
        }

        @Override
        public void onEvent(WeftEvent event) {}
    }

    private static WeftContext context(String listeners) {
        return new WeftContext(
                WeftConf.of(Map.of("weft.backend", "local", "weft.app.name", "listened", "weft.listeners", listeners)));
    }

    @Test
    void configuredListenersSeeEveryJobAndAreClosedAfterTheLastEvent() {
        synchronized (Configured.SEEN) {
            Configured.SEEN.clear();
        }
        NoArguments.events = 0;
        try (WeftContext ctx = context(" " + Configured.class.getName() + " , " + NoArguments.class.getName())) {
            assertEquals(
                    6L, ctx.parallelize(List.of(1, 2, 3), 2).map(x -> x * 2).count() * 2);
        }
        synchronized (Configured.SEEN) {
            assertEquals(
                    List.of(
                            "listened:job 0 " + JobState.RUNNING,
                            "listened:job 0 " + JobState.SUCCEEDED,
                            "listened:closed"),
                    Configured.SEEN);
        }
        assertTrue(NoArguments.events >= 4, "job, stage and task events reach the no-argument listener");
    }

    @Test
    void aNameThatCannotBecomeAListenerFailsTheContextNamingKeyClassAndCause() {
        String missing = assertThrows(IllegalArgumentException.class, () -> context("com.example.NoSuchListener"))
                .getMessage();
        assertTrue(missing.contains("weft.listeners") && missing.contains("com.example.NoSuchListener"), missing);

        String wrongType = assertThrows(IllegalArgumentException.class, () -> context(NotAListener.class.getName()))
                .getMessage();
        assertTrue(wrongType.contains("does not implement dev.weft.events.WeftListener"), wrongType);

        String throwing = assertThrows(IllegalArgumentException.class, () -> context(Throwing.class.getName()))
                .getMessage();
        assertTrue(throwing.contains("cannot reach the audit service"), throwing);

        String syntax = assertThrows(IllegalArgumentException.class, () -> context("a.b,,c"))
                .getMessage();
        assertTrue(syntax.contains("weft.listeners") && syntax.contains("empty class name"), syntax);
    }
}
