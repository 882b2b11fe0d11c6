package dev.weft.executor.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.ConfigKey;
import dev.weft.executor.ExecutorArgs;
import dev.weft.executor.ExecutorConfigKeys;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestShuffleFetchConfig {
    @Test
    void defaults() {
        ShuffleFetchConfig d = ShuffleFetchConfig.defaults();
        assertEquals(48L << 20, d.maxBytesInFlight());
        assertEquals(8, d.maxRequestsPerServer());
    }

    @Test
    void everyKeyIsReadAndRegistered() {
        ShuffleFetchConfig c = ShuffleFetchConfig.fromMap(Map.of(
                "weft.shuffle.fetch.max-bytes-in-flight", "4m",
                "weft.shuffle.fetch.max-requests-per-server", "3",
                "weft.rpc.ask-timeout", "5s"));
        assertEquals(new ShuffleFetchConfig(4L << 20, 3), c);
        for (ConfigKey<?> key : ShuffleFetchConfig.KEYS) {
            assertTrue(new ExecutorConfigKeys().keys().contains(key), key.name());
        }
    }

    @Test
    void aBadValueNamesItsKeyAtExecutorStart() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> ExecutorArgs.parse(new String[] {
                    "--driver",
                    "h:1",
                    "--executor-id",
                    "e",
                    "--cores",
                    "1",
                    "--memory-budget",
                    "1m",
                    "--conf",
                    "weft.shuffle.fetch.max-requests-per-server=0"
                }));
        assertTrue(e.getMessage().contains("weft.shuffle.fetch.max-requests-per-server"), e.getMessage());
        ExecutorArgs ok = ExecutorArgs.parse(new String[] {
            "--driver",
            "h:1",
            "--executor-id",
            "e",
            "--cores",
            "1",
            "--memory-budget",
            "1m",
            "--conf",
            "weft.shuffle.fetch.max-bytes-in-flight=1m"
        });
        assertEquals(1L << 20, ok.shuffleFetchConfig().maxBytesInFlight());
    }
}
