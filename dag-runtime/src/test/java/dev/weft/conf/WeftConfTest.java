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
        assertEquals("weft-app", c.get(WeftConf.APP_NAME));
        assertEquals("auto", c.get(WeftConf.BACKEND));
        assertEquals("drivers", c.get(WeftConf.DRIVER_QUEUE));
        assertEquals("executors", c.get(WeftConf.EXECUTOR_QUEUE));
        assertEquals(2, c.get(WeftConf.EXECUTOR_INSTANCES));
        assertEquals(0.8, c.get(WeftConf.MIN_REGISTERED_RATIO));
        assertEquals(30_000L, c.get(WeftConf.MAX_REGISTERED_WAIT_MS));
        assertThrows(
                IllegalArgumentException.class,
                () -> WeftConf.defaults().with("weft.scheduler.minRegisteredRatio", "1.5"));
        assertEquals(1L << 30, c.get(WeftConf.EXECUTOR_MEMORY));
        assertEquals(4, c.get(WeftConf.TASK_MAX_ATTEMPTS));
        assertEquals(4, c.get(WeftConf.STAGE_MAX_ATTEMPTS));
        assertNull(c.get(WeftConf.LOCAL_THREADS));
        assertNull(c.get(WeftConf.MEMORY_BUDGET));
        assertEquals(7, c.get(WeftConf.LOCAL_THREADS, 7));
        assertEquals(3_000L, c.get(WeftConf.LOCALITY_WAIT));
        assertNull(c.get(WeftConf.LOCALITY_WAIT_PROCESS));
        assertNull(c.get(WeftConf.LOCALITY_WAIT_NODE));
        assertNull(c.get(WeftConf.LOCALITY_WAIT_RACK));
    }

    @Test
    void parsesDurations() {
        assertEquals(
                500L, WeftConf.defaults().with("weft.locality.wait", "500ms").get(WeftConf.LOCALITY_WAIT));
        assertEquals(500L, WeftConf.defaults().with("weft.locality.wait", "500").get(WeftConf.LOCALITY_WAIT));
        assertEquals(0L, WeftConf.defaults().with("weft.locality.wait", "0").get(WeftConf.LOCALITY_WAIT));
        assertEquals(
                120_000L,
                WeftConf.defaults().with("weft.locality.wait.rack", "2m").get(WeftConf.LOCALITY_WAIT_RACK));
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.locality.wait.node", "-1s"));
        assertTrue(e.getMessage().contains("weft.locality.wait.node"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.locality.wait", "soon"));
        assertTrue(e.getMessage().contains("weft.locality.wait"), e.getMessage());
    }

    @Test
    void parsesSizesInBinaryUnits() {
        assertEquals(
                8L << 20, WeftConf.defaults().with("weft.memory.budget", "8m").get(WeftConf.MEMORY_BUDGET));
        assertEquals(
                2L << 30, WeftConf.defaults().with("weft.memory.budget", "2G").get(WeftConf.MEMORY_BUDGET));
        assertEquals(512L, WeftConf.defaults().with("weft.memory.budget", "512").get(WeftConf.MEMORY_BUDGET));
        assertEquals(
                64L << 10,
                WeftConf.defaults().with("weft.memory.budget", "64kb").get(WeftConf.MEMORY_BUDGET));
    }

    @Test
    void malformedValuesNameTheKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> WeftConf.defaults().with("weft.local.threads", "many"));
        assertTrue(e.getMessage().contains("weft.local.threads"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeftConf.of(Map.of("weft.task.maxAttempts", "0")));
        assertTrue(e.getMessage().contains("weft.task.maxAttempts"), e.getMessage());
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
    void everyKeyIsDocumented() {
        for (ConfigKey<?> k : WeftConf.KEYS) {
            assertTrue(k.name().startsWith("weft."), k.name());
            assertTrue(!k.doc().isBlank(), k.name());
        }
    }
}
