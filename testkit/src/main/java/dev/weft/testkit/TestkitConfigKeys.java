package dev.weft.testkit;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigKeyProvider;
import dev.weft.conf.ConfigParser;
import dev.weft.conf.ConfigParsers;
import dev.weft.conf.ConfigUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The keys {@link EventRecorder} reads in the driver of a job the kit submitted. {@link WeftTestCluster#submit} sets
 * them; a test has no reason to.
 */
public final class TestkitConfigKeys implements ConfigKeyProvider {
    static final String MODULE = "testkit";

    public static final ConfigKey<String> EVENTS_DIR = new ConfigKey<>(
            "weft.testkit.events.dir",
            MODULE,
            null,
            "Directory (on the job's default file system) where the driver records its events and its pauses at"
                    + " fault points.",
            ConfigParsers.nonEmpty());
    public static final ConfigKey<List<FaultPoint>> PAUSE_AT = new ConfigKey<>(
            "weft.testkit.pause-at",
            MODULE,
            "",
            "Fault points (FaultPoint specs, comma-separated) at which the driver pauses until the test resumes it.",
            new ConfigParser<>(
                    ConfigUnit.NONE,
                    "comma-separated fault points such as stage-succeeded-0",
                    TestkitConfigKeys::points));
    public static final ConfigKey<Long> PAUSE_TIMEOUT = new ConfigKey<>(
            "weft.testkit.pause.timeout",
            MODULE,
            "5min",
            "How long the driver waits at a fault point for the test to resume it before it goes on by itself"
                    + " (a test that failed meanwhile never will).",
            ConfigParsers.durationMillis(1));

    private static List<FaultPoint> points(String specs) {
        List<FaultPoint> points = new ArrayList<>();
        for (String spec : specs.split(",", -1)) {
            if (!spec.isBlank()) {
                points.add(FaultPoint.parse(spec));
            }
        }
        return List.copyOf(points);
    }

    static final List<ConfigKey<?>> KEYS = List.of(EVENTS_DIR, PAUSE_AT, PAUSE_TIMEOUT);

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return KEYS;
    }
}
