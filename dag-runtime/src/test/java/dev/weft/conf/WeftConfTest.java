package dev.weft.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class WeftConfTest {

    @Test
    void defaults() {
        WeftConf c = WeftConf.defaults();
        assertEquals("weft-app", c.get(RuntimeConfigKeys.APP_NAME));
        assertEquals("auto", c.get(RuntimeConfigKeys.BACKEND));
        assertEquals(4, c.get(RuntimeConfigKeys.TASK_MAX_ATTEMPTS));
        assertEquals(4, c.get(RuntimeConfigKeys.STAGE_MAX_ATTEMPTS));
        assertNull(c.get(RuntimeConfigKeys.LOCAL_THREADS));
        assertNull(c.get(RuntimeConfigKeys.MEMORY_BUDGET));
        assertEquals(7, c.get(RuntimeConfigKeys.LOCAL_THREADS, 7));
        assertEquals(3_000L, c.get(RuntimeConfigKeys.LOCALITY_WAIT));
        assertNull(c.get(RuntimeConfigKeys.LOCALITY_WAIT_PROCESS));
        assertNull(c.get(RuntimeConfigKeys.LOCALITY_WAIT_NODE));
        assertNull(c.get(RuntimeConfigKeys.LOCALITY_WAIT_RACK));
    }

    @Test
    void parsesDurations() {
        assertEquals(
                500L, WeftConf.defaults().with("weft.locality.wait", "500ms").get(RuntimeConfigKeys.LOCALITY_WAIT));
        assertEquals(500L, WeftConf.defaults().with("weft.locality.wait", "500").get(RuntimeConfigKeys.LOCALITY_WAIT));
        assertEquals(0L, WeftConf.defaults().with("weft.locality.wait", "0").get(RuntimeConfigKeys.LOCALITY_WAIT));
        assertEquals(
                120_000L,
                WeftConf.defaults().with("weft.locality.wait.rack", "2min").get(RuntimeConfigKeys.LOCALITY_WAIT_RACK));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.locality.wait.node", "-1s"));
        assertTrue(e.getMessage().contains("weft.locality.wait.node"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.locality.wait", "soon"));
        assertTrue(e.getMessage().contains("weft.locality.wait"), e.getMessage());
        // 'm' means MiB for sizes; for a duration it is refused rather than guessed
        e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.locality.wait", "2m"));
        assertTrue(e.getMessage().contains("min"), e.getMessage());
        assertEquals(
                7_200_000L, WeftConf.defaults().with("weft.locality.wait", "2h").get(RuntimeConfigKeys.LOCALITY_WAIT));
    }

    @Test
    void parsesSizesInBinaryUnits() {
        assertEquals(
                8L << 20, WeftConf.defaults().with("weft.memory.budget", "8m").get(RuntimeConfigKeys.MEMORY_BUDGET));
        assertEquals(
                2L << 30, WeftConf.defaults().with("weft.memory.budget", "2G").get(RuntimeConfigKeys.MEMORY_BUDGET));
        assertEquals(512L, WeftConf.defaults().with("weft.memory.budget", "512").get(RuntimeConfigKeys.MEMORY_BUDGET));
        assertEquals(
                64L << 10,
                WeftConf.defaults().with("weft.memory.budget", "64kb").get(RuntimeConfigKeys.MEMORY_BUDGET));
    }

    @Test
    void malformedValuesNameTheKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.local.threads", "many"));
        assertTrue(e.getMessage().contains("weft.local.threads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeftConf.of(Map.of("weft.task.max-attempts", "0")));
        assertTrue(e.getMessage().contains("weft.task.max-attempts"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.memory.budget", "lots"));
        assertTrue(e.getMessage().contains("weft.memory.budget"), e.getMessage());
    }

    @Test
    void misspelledWeftKeysAreRejected() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.lcoal.threads", "2"));
        assertTrue(e.getMessage().contains("weft.lcoal.threads"), e.getMessage());
        assertEquals("x", WeftConf.defaults().with("other.key", "x").asMap().get("other.key"));
        // keys of the shuffle service and transport live in yarn-site.xml too; their owners validate them
        assertEquals(
                "7447",
                WeftConf.defaults()
                        .with("weft.shuffle.service.port", "7447")
                        .asMap()
                        .get("weft.shuffle.service.port"));
    }

    @Test
    void keysOfAbsentModulesAreAcceptedUnchecked() {
        // dag-runtime's tests see no yarn-am, executor-container or transport: their prefixes cannot be checked here
        WeftConf c = WeftConf.defaults()
                .with("weft.yarn.driver.queue", "etl")
                .with("weft.executor.memory", "4096")
                .with("weft.rpc.ask-timeout", "5s")
                .with("weft.shuffle.transport.disk-threads", "2");
        assertEquals("etl", c.asMap().get("weft.yarn.driver.queue"));
        // a misspelling outside every owned prefix is dag-runtime's, so it is still caught
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.locality.wiat", "1s"));
        assertTrue(e.getMessage().contains("did you mean weft.locality.wait?"), e.getMessage());
    }

    @Test
    void everyKeyIsDocumented() {
        for (ConfigKey<?> k : RuntimeConfigKeys.KEYS) {
            assertTrue(k.name().startsWith("weft."), k.name());
            assertTrue(!k.doc().isBlank(), k.name());
        }
    }
}
