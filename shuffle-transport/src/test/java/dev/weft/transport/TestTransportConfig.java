package dev.weft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TestTransportConfig {
    @Test
    void defaults() {
        TransportConfig config = TransportConfig.defaults();
        assertEquals(64 * 1024, config.maxFrameBytes());
        assertEquals(64, config.maxStreamsPerConnection());
        assertEquals(256L << 20, config.maxBytesInFlightPerConnection());
        assertEquals(1L << 30, config.maxBytesInFlightPerServer());
        assertEquals(4096, config.maxReduceIdsPerRequest());
        assertEquals(Duration.ofSeconds(120), config.idleTimeout());
        assertEquals(Duration.ofMillis(200), config.busyRetryAfter());
        assertEquals(2, config.serverIoThreads());
        assertEquals(4, config.diskThreads());
        assertEquals(1024, config.diskQueueCapacity());
        assertEquals(2, config.clientIoThreads());
        assertEquals(Duration.ofSeconds(10), config.connectTimeout());
        assertEquals(Duration.ofSeconds(120), config.fetchTimeout());
        assertEquals(5, config.maxBusyRetries());
        assertEquals(256 << 20, config.maxInMemoryBlockBytes());
        assertEquals(config, TransportConfig.fromMap(Map.of()));
    }

    @Test
    void explicitKeyMapping() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("weft.shuffle.transport.max-frame-bytes", "1024");
        properties.put("weft.shuffle.transport.max-streams-per-connection", "3");
        properties.put("weft.shuffle.transport.max-bytes-in-flight-per-connection", "1000");
        properties.put("weft.shuffle.transport.max-bytes-in-flight-per-server", "2000");
        properties.put("weft.shuffle.transport.max-reduce-ids-per-request", "7");
        properties.put("weft.shuffle.transport.idle-timeout", "5000");
        properties.put("weft.shuffle.transport.busy-retry-after", "15");
        properties.put("weft.shuffle.transport.server-io-threads", "3");
        properties.put("weft.shuffle.transport.disk-threads", "5");
        properties.put("weft.shuffle.transport.disk-queue-capacity", "9");
        properties.put("weft.shuffle.transport.client-io-threads", "4");
        properties.put("weft.shuffle.transport.connect-timeout", "700");
        properties.put("weft.shuffle.transport.fetch-timeout", "800");
        properties.put("weft.shuffle.transport.max-busy-retries", "11");
        properties.put("weft.shuffle.transport.max-in-memory-block-bytes", "4096");
        properties.put("weft.shuffle.transport.max-open-files", "33");
        properties.put("weft.shuffle.transport.max-open-files-per-app", "17");
        properties.put("weft.shuffle.transport.auth-timeout", "900");
        properties.put("weft.shuffle.transport.max-unauthenticated-connections", "21");
        properties.put("weft.shuffle.transport.max-unauthenticated-per-address", "6");
        properties.put("weft.shuffle.transport.stall-timeout", "1100");
        properties.put("weft.shuffle.transport.integrity", "true");
        TransportConfig expected = new TransportConfig(
                1024,
                3,
                1000,
                2000,
                7,
                Duration.ofMillis(5000),
                Duration.ofMillis(15),
                3,
                5,
                9,
                4,
                Duration.ofMillis(700),
                Duration.ofMillis(800),
                11,
                4096,
                33,
                17,
                Duration.ofMillis(900),
                21,
                6,
                Duration.ofMillis(1100),
                true);
        assertEquals(expected, TransportConfig.fromMap(properties));
        assertEquals(properties, expected.toMap());
        assertEquals(properties.keySet(), TransportConfig.KEYS);
    }

    @Test
    void errorsNameTheKey() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TransportConfig.fromMap(Map.of(TransportConfig.MAX_STREAMS_PER_CONNECTION, "0")));
        assertTrue(e.getMessage().contains(TransportConfig.MAX_STREAMS_PER_CONNECTION), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TransportConfig.fromMap(Map.of(TransportConfig.DISK_THREADS, "x")));
        assertTrue(e.getMessage().contains(TransportConfig.DISK_THREADS), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TransportConfig.fromMap(Map.of("weft.shuffle.transport.typo", "1")));
        assertTrue(e.getMessage().contains("weft.shuffle.transport.typo"), e.getMessage());
    }
}
