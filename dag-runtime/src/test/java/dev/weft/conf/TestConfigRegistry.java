package dev.weft.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestConfigRegistry {
    private static final ConfigKey<Long> EXECUTOR_MEMORY = new ConfigKey<>(
            "weft.executor.memory", "yarn-am", "1g", "Heap of each executor.", ConfigParsers.mebibytes(1L << 20));
    private static final ConfigKey<Integer> EXECUTOR_CORES = new ConfigKey<>(
            "weft.executor.cores", "yarn-am", "1", "Cores of each executor.", ConfigParsers.intAtLeast(1));
    private static final ConfigKey<Long> HEARTBEAT = new ConfigKey<>(
            "weft.executor.heartbeat-interval",
            "executor-container",
            "10s",
            "How often executors report.",
            ConfigParsers.durationMillis(1));

    private static ConfigRegistry withYarnAndExecutor() {
        return ConfigRegistry.of(List.of(
                new RuntimeConfigKeys(),
                new TestingConfigKeyProvider("yarn-am", List.of(EXECUTOR_MEMORY, EXECUTOR_CORES)),
                new TestingConfigKeyProvider("executor-container", List.of(HEARTBEAT))));
    }

    @Test
    void findsTheKeysOfEveryProvider() {
        ConfigRegistry r = withYarnAndExecutor();
        assertEquals(RuntimeConfigKeys.KEYS.size() + 3, r.keys().size());
        assertEquals(EXECUTOR_MEMORY, r.find("weft.executor.memory"));
        assertEquals(HEARTBEAT, r.find("weft.executor.heartbeat-interval"));
        assertEquals(RuntimeConfigKeys.APP_NAME, r.find("weft.app.name"));
        assertEquals(java.util.Set.of("dag-runtime", "yarn-am", "executor-container"), r.modules());
    }

    @Test
    void theServiceLoaderFindsDagRuntimesOwnKeys() {
        ConfigRegistry r = ConfigRegistry.loaded();
        for (ConfigKey<?> k : RuntimeConfigKeys.KEYS) {
            assertEquals(k, r.find(k.name()));
        }
    }

    @Test
    void misspelledKeySuggestsTheClosestRegisteredOne() {
        ConfigRegistry r = withYarnAndExecutor();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> r.validate(Map.of("weft.executr.memory", "4g")));
        assertEquals(
                "unknown configuration key 'weft.executr.memory'; did you mean weft.executor.memory?", e.getMessage());
        // with both owners of weft.executor. present, a wrong name under it is caught too
        e = assertThrows(
                IllegalArgumentException.class, () -> r.validate(Map.of("weft.executor.heartbeat-intervl", "1s")));
        assertTrue(e.getMessage().endsWith("did you mean weft.executor.heartbeat-interval?"), e.getMessage());
        // nothing close: no guess, a pointer to the list instead
        e = assertThrows(IllegalArgumentException.class, () -> r.validate(Map.of("weft.zzzzzz", "1")));
        assertTrue(!e.getMessage().contains("did you mean"), e.getMessage());
        assertTrue(e.getMessage().contains("docs/CONFIGURATION.md"), e.getMessage());
    }

    @Test
    void prefixOfAnAbsentModuleIsAccepted() {
        ConfigRegistry onlyYarn = ConfigRegistry.of(
                List.of(new RuntimeConfigKeys(), new TestingConfigKeyProvider("yarn-am", List.of(EXECUTOR_MEMORY))));
        // weft.executor. is shared with executor-container, which is absent: its keys cannot be checked
        onlyYarn.validate(Map.of("weft.executor.heartbeat-timeout", "30s"));
        // but a registered key under the same prefix is still parsed
        assertThrows(IllegalArgumentException.class, () -> onlyYarn.validate(Map.of("weft.executor.memory", "-1")));
        // and prefixes of absent modules are accepted unchecked; keys outside weft. are not ours
        onlyYarn.validate(
                Map.of("weft.shuffle.transport.anything", "x", "weft.rpc.whatever", "y", "fs.defaultFS", "hdfs://nn"));
        // a key under a prefix whose every owner is present is checked
        assertThrows(IllegalArgumentException.class, () -> onlyYarn.validate(Map.of("weft.yarn.driver.queu", "a")));
    }

    @Test
    void outOfRangeValueNamesKeyValueAndRange() {
        ConfigRegistry r = withYarnAndExecutor();
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> r.validate(Map.of("weft.executor.cores", "0")));
        assertEquals(
                "invalid value for weft.executor.cores: '0' (out of range; expected an integer >= 1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.validate(Map.of("weft.task.max-attempts", "x")));
        assertEquals(
                "invalid value for weft.task.max-attempts: 'x' (not an integer; expected an integer >= 1)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> r.validate(Map.of("weft.executor.memory", "512k")));
        assertTrue(e.getMessage().contains("weft.executor.memory: '512k'"), e.getMessage());
        assertTrue(e.getMessage().contains("a size in [1m, ∞]"), e.getMessage());
    }

    @Test
    void aKeyOutsideItsOwnersPrefixOrListedTwiceIsRejected() {
        ConfigKey<Integer> stray = new ConfigKey<>(
                "weft.rpc.threads", "yarn-am", "1", "Not yarn-am's prefix.", ConfigParsers.intAtLeast(1));
        assertThrows(
                IllegalStateException.class,
                () -> ConfigRegistry.of(List.of(new TestingConfigKeyProvider("yarn-am", List.of(stray)))));
        assertThrows(
                IllegalStateException.class,
                () -> ConfigRegistry.of(
                        List.of(new TestingConfigKeyProvider("executor-container", List.of(EXECUTOR_MEMORY)))));
        assertThrows(
                IllegalStateException.class,
                () -> ConfigRegistry.of(List.of(new RuntimeConfigKeys(), new RuntimeConfigKeys())));
    }

    @Test
    void keyNamesFollowOneStyle() {
        for (String bad : List.of("weft.task.maxAttempts", "weft.Foo", "spark.x", "weft.a..b", "weft.idle_timeout")) {
            assertThrows(
                    IllegalArgumentException.class,
                    () -> new ConfigKey<>(bad, "dag-runtime", null, "doc", ConfigParsers.text()),
                    bad);
        }
        assertThrows(
                IllegalArgumentException.class,
                () -> new ConfigKey<>(
                        "weft.x", "dag-runtime", "0", "default out of range", ConfigParsers.intAtLeast(1)));
    }

    @Test
    void editDistance() {
        assertEquals(0, EditDistance.between("abc", "abc"));
        assertEquals(1, EditDistance.between("weft.executr.memory", "weft.executor.memory"));
        assertEquals(2, EditDistance.between("ab", "ba"));
        assertEquals(3, EditDistance.between("kitten", "sitting"));
        assertEquals(4, EditDistance.between("", "abcd"));
    }
}
