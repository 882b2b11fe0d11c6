package dev.weft.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TestTransportConfigKeys {
    private static final List<String> PROBES = List.of(
            "0",
            "1",
            "255",
            "256",
            "4096",
            "64k",
            "64KB",
            "2m",
            "1g",
            "2g",
            "3g",
            "1t",
            "-1",
            "x",
            "",
            "500ms",
            "5s",
            "2min",
            "1h",
            "10",
            "99999999999999t");

    @Test
    void everyTransportKeyIsRegisteredWithTransportConfigsDefault() {
        Set<String> names =
                TransportConfigKeys.KEYS.stream().map(ConfigKey::name).collect(Collectors.toSet());
        assertEquals(TransportConfig.KEYS, names);
        Map<String, String> defaults = TransportConfig.defaults().toMap();
        ConfigRegistry r = ConfigRegistry.loaded();
        for (ConfigKey<?> k : TransportConfigKeys.KEYS) {
            assertEquals(defaults.get(k.name()), k.defaultValue(), k.name());
            assertEquals(k, r.find(k.name()));
        }
    }

    /** The NodeManager validates with TransportConfig, programs with the registry: both must agree on every value. */
    @Test
    void registryAndTransportConfigAcceptTheSameValues() {
        for (ConfigKey<?> k : TransportConfigKeys.KEYS) {
            for (String probe : PROBES) {
                boolean byRegistry = accepts(() -> k.parse(probe));
                boolean byTransport = accepts(() -> TransportConfig.fromMap(Map.of(k.name(), probe)));
                assertEquals(byTransport, byRegistry, k.name() + "=" + probe);
            }
        }
    }

    @Test
    void suffixesAndRenamedDurationKeys() {
        TransportConfig c = TransportConfig.fromMap(Map.of(
                TransportConfig.IDLE_TIMEOUT, "2min",
                TransportConfig.FETCH_TIMEOUT, "90s",
                TransportConfig.BUSY_RETRY_AFTER, "250",
                TransportConfig.MAX_FRAME_BYTES, "128k",
                TransportConfig.MAX_BYTES_IN_FLIGHT_PER_SERVER, "2g"));
        assertEquals(Duration.ofMinutes(2), c.idleTimeout());
        assertEquals(Duration.ofSeconds(90), c.fetchTimeout());
        assertEquals(Duration.ofMillis(250), c.busyRetryAfter());
        assertEquals(128 << 10, c.maxFrameBytes());
        assertEquals(2L << 30, c.maxBytesInFlightPerServer());
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> TransportConfig.fromMap(Map.of(TransportConfig.DISK_THREADS, "0")));
        assertEquals(
                "invalid value for weft.shuffle.transport.disk-threads: 0 (out of range; expected an integer >= 1)",
                e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> TransportConfig.fromMap(Map.of(TransportConfig.CONNECT_TIMEOUT, "2m")));
        assertTrue(e.getMessage().contains("write min"), e.getMessage());
    }

    private static boolean accepts(Runnable r) {
        try {
            r.run();
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
