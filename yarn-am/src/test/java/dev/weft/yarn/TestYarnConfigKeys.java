package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigRegistry;
import dev.weft.conf.WeftConf;
import org.junit.jupiter.api.Test;

class TestYarnConfigKeys {
    @Test
    void defaults() {
        WeftConf c = WeftConf.defaults();
        assertEquals("drivers", c.get(YarnConfigKeys.DRIVER_QUEUE));
        assertEquals("executors", c.get(YarnConfigKeys.EXECUTOR_QUEUE));
        assertEquals(1L << 30, c.get(YarnConfigKeys.DRIVER_MEMORY));
        assertEquals(1, c.get(YarnConfigKeys.DRIVER_CORES));
        assertEquals(1L << 30, c.get(YarnConfigKeys.EXECUTOR_MEMORY));
        assertEquals(1, c.get(YarnConfigKeys.EXECUTOR_CORES));
        assertEquals(2, c.get(YarnConfigKeys.EXECUTOR_INSTANCES));
        assertNull(c.get(YarnConfigKeys.STAGING_DIR));
        assertEquals(60_000L, c.get(YarnConfigKeys.EXECUTOR_APP_LEASE));
        assertEquals(60, YarnConfigKeys.executorAppLeaseSeconds(c));
        assertEquals(0.8, c.get(YarnConfigKeys.MIN_REGISTERED_RATIO));
        assertEquals(30_000L, c.get(YarnConfigKeys.MAX_REGISTERED_WAIT));
        assertEquals(
                60_000L,
                c.get(YarnConfigKeys.EXECUTOR_IDLE_TIMEOUT),
                "idle executors go after a minute (dynamic allocation)");
        assertEquals(90_000L, c.with("weft.executor.idle-timeout", "90s").get(YarnConfigKeys.EXECUTOR_IDLE_TIMEOUT));
        assertEquals(5_000L, c.get(YarnConfigKeys.PREEMPTION_REASK_DELAY), "preempted executors wait 5 s by default");
        assertEquals(
                3_000L,
                c.get(YarnConfigKeys.STRICT_PLACEMENT_WAIT),
                "no longer than weft.locality.wait's default: tasks stop waiting for their node by then");
        assertEquals(c.get(dev.weft.conf.RuntimeConfigKeys.LOCALITY_WAIT), c.get(YarnConfigKeys.STRICT_PLACEMENT_WAIT));
        assertEquals(true, c.get(YarnConfigKeys.UBER_ENABLED));
        assertEquals(8, c.get(YarnConfigKeys.UBER_MAX_TASKS));
        assertEquals(4L << 20, c.get(YarnConfigKeys.UBER_MAX_INPUT));
        assertEquals(1, c.get(YarnConfigKeys.DRIVER_MAX_ATTEMPTS), "a new attempt re-runs main: opt in");
        assertEquals(0, c.get(YarnConfigKeys.PRIORITY));
        assertEquals(java.util.List.of(), c.get(YarnConfigKeys.EXECUTOR_JAVA_OPTIONS));
        assertEquals(java.util.Map.of(), c.get(YarnConfigKeys.DRIVER_ENV));
        assertEquals("", c.get(YarnConfigKeys.ACCESS_FILE_SYSTEMS));
        assertEquals(java.util.List.of(), YarnConfigKeys.accessFileSystems(c));
        assertNull(c.get(YarnConfigKeys.PRINCIPAL));
        assertNull(c.get(YarnConfigKeys.KEYTAB));
        assertEquals("INFO", c.get(YarnConfigKeys.DRIVER_LOG_LEVEL));
        assertEquals(false, c.get(YarnConfigKeys.CLIENT_FOLLOW));
        assertEquals(41, YarnConfigKeys.KEYS.size());
    }

    @Test
    void aDriverWithoutAttemptsIsRefusedNamingTheKey() {
        for (String bad : new String[] {"0", "-1", "two"}) {
            IllegalArgumentException e = assertThrows(
                    IllegalArgumentException.class,
                    () -> WeftConf.defaults()
                            .with("weft.yarn.driver.max-attempts", bad)
                            .get(YarnConfigKeys.DRIVER_MAX_ATTEMPTS));
            assertTrue(e.getMessage().contains("weft.yarn.driver.max-attempts"), e.getMessage());
        }
    }

    @Test
    void accessFileSystemsAreUrisWithSchemes() {
        WeftConf c = WeftConf.defaults()
                .with("weft.yarn.access.hadoop-file-systems", " hdfs://nn2:8020 , ,webhdfs://nn3:9870");
        assertEquals(
                java.util.List.of(java.net.URI.create("hdfs://nn2:8020"), java.net.URI.create("webhdfs://nn3:9870")),
                YarnConfigKeys.accessFileSystems(c));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> YarnConfigKeys.accessFileSystems(
                        WeftConf.defaults().with("weft.yarn.access.hadoop-file-systems", "nn2:8020/x y")));
        assertTrue(e.getMessage().contains("weft.yarn.access.hadoop-file-systems"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> YarnConfigKeys.accessFileSystems(
                        WeftConf.defaults().with("weft.yarn.access.hadoop-file-systems", "/just/a/path")));
        assertTrue(e.getMessage().contains("names no scheme"), e.getMessage());
    }

    @Test
    void aBareContainerMemoryIsMebibytesAndBecomesThatHeap() {
        WeftConf c = WeftConf.defaults().with("weft.executor.memory", "4096").with("weft.driver.memory", "512");
        assertEquals(4096L << 20, c.get(YarnConfigKeys.EXECUTOR_MEMORY));
        assertEquals(512L << 20, c.get(YarnConfigKeys.DRIVER_MEMORY));
        // the heap flag the container gets: before the MiB rule this was -Xmx0m
        String command = String.join(
                " ",
                ContainerSpecs.javaCommand(c.get(YarnConfigKeys.EXECUTOR_MEMORY) >> 20, "Main", java.util.List.of()));
        assertTrue(command.contains(" -Xmx4096m "), command);
        assertEquals(4096 + 409, ContainerOptions.executor(c).containerMiB());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.executor.memory", "16m"));
        assertTrue(e.getMessage().contains("weft.executor.memory: '16m'"), e.getMessage());
        assertTrue(e.getMessage().contains("[32m, ∞]"), e.getMessage());
    }

    @Test
    void leaseRoundsUpToWholeSecondsAndHasAFloor() {
        assertEquals(
                11,
                YarnConfigKeys.executorAppLeaseSeconds(
                        WeftConf.defaults().with("weft.yarn.executor-app.lease", "10001ms")));
        assertEquals(
                120,
                YarnConfigKeys.executorAppLeaseSeconds(
                        WeftConf.defaults().with("weft.yarn.executor-app.lease", "2min")));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.yarn.executor-app.lease", "5s"));
        assertEquals(
                "invalid value for weft.yarn.executor-app.lease: '5s' (out of range; expected a duration >= 10s such"
                        + " as 500ms, 30s or 2min)",
                e.getMessage());
    }

    @Test
    void misspelledKeySuggestsTheRegisteredOne() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.executr.memory", "4g"));
        assertTrue(e.getMessage().contains("did you mean weft.executor.memory?"), e.getMessage());
        // the old camelCase names are gone; their new spelling is suggested
        e = assertThrows(
                IllegalArgumentException.class,
                () -> WeftConf.defaults().with("weft.scheduler.maxRegisteredWait", "1s"));
        assertTrue(e.getMessage().contains("did you mean weft.scheduler.max-registered-wait?"), e.getMessage());
        // yarn-am's test classpath holds yarn-am and executor-container, so a typo under weft.executor. is caught
        e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.executor.heartbeat-timout", "9s"));
        assertTrue(e.getMessage().contains("did you mean weft.executor.heartbeat-timeout?"), e.getMessage());
    }

    @Test
    void everyYarnKeyIsRegisteredAsYarnAms() {
        ConfigRegistry r = ConfigRegistry.loaded();
        for (ConfigKey<?> k : YarnConfigKeys.KEYS) {
            assertEquals(k, r.find(k.name()));
            assertEquals("yarn-am", k.owner());
        }
    }
}
