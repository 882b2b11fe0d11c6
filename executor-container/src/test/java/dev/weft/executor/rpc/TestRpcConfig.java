package dev.weft.executor.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.ConfigKey;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TestRpcConfig {
    @Test
    void defaults() {
        RpcConfig c = RpcConfig.defaults();
        assertEquals(64 << 20, c.maxFrameBytes());
        assertEquals(Duration.ofSeconds(30), c.authTimeout());
        assertEquals(Duration.ofSeconds(120), c.askTimeout());
        assertEquals(Duration.ofSeconds(10), c.heartbeatInterval());
        assertEquals(Duration.ofSeconds(30), c.heartbeatTimeout(), "3 x the interval");
    }

    @Test
    void everyKeyMapsToItsSetting() {
        Map<String, String> conf = Map.of(
                "weft.rpc.max-frame-bytes", "1m",
                "weft.rpc.auth-timeout", "2s",
                "weft.rpc.ask-timeout", "3s",
                "weft.executor.heartbeat-interval", "400ms",
                "weft.executor.heartbeat-timeout", "5s",
                "weft.rpc.integrity", "true");
        assertEquals(
                conf.keySet(),
                Set.copyOf(RpcConfig.KEYS.stream().map(ConfigKey::name).toList()));
        RpcConfig c = RpcConfig.fromMap(conf);
        assertEquals(
                new RpcConfig(
                        1 << 20,
                        Duration.ofSeconds(2),
                        Duration.ofSeconds(3),
                        Duration.ofMillis(400),
                        Duration.ofSeconds(5),
                        true),
                c);
        assertEquals(c, RpcConfig.fromMap(c.toMap()), "toMap feeds an executor's --conf arguments");
        assertEquals(
                Duration.ofMillis(1200),
                RpcConfig.fromMap(Map.of("weft.executor.heartbeat-interval", "400"))
                        .heartbeatTimeout(),
                "the timeout follows a changed interval");
        assertEquals(false, RpcConfig.fromMap(Map.of()).integrity(), "off by default on an unsecured cluster");
        assertEquals(true, RpcConfig.fromMap(Map.of(), true).integrity(), "on by default on a secure cluster");
        assertEquals(
                false,
                RpcConfig.fromMap(Map.of("weft.rpc.integrity", "false"), true).integrity(),
                "the key wins over the cluster's default");
    }

    @Test
    void errorsNameTheKey() {
        for (Map.Entry<String, String> bad : List.of(
                Map.entry("weft.rpc.max-frame-bytes", "lots"),
                Map.entry("weft.rpc.max-frame-bytes", "3g"),
                Map.entry("weft.rpc.max-frame-bytes", "12"),
                Map.entry("weft.rpc.auth-timeout", "soon"),
                Map.entry("weft.rpc.ask-timeout", "0s"),
                Map.entry("weft.executor.heartbeat-interval", "-1s"),
                Map.entry("weft.executor.heartbeat-timeout", "5s"))) {
            Map<String, String> conf = bad.getKey().equals("weft.executor.heartbeat-timeout")
                    ? Map.of(bad.getKey(), bad.getValue(), "weft.executor.heartbeat-interval", "10s")
                    : Map.of(bad.getKey(), bad.getValue());
            IllegalArgumentException e =
                    assertThrows(IllegalArgumentException.class, () -> RpcConfig.fromMap(conf), bad.toString());
            assertTrue(e.getMessage().contains(bad.getKey()), e.getMessage());
        }
    }

    @Test
    void sizes() {
        assertEquals(4096, RpcConfig.parseSize("4096"));
        assertEquals(512L << 10, RpcConfig.parseSize("512k"));
        assertEquals(512L << 20, RpcConfig.parseSize("512M"));
        assertEquals(2L << 30, RpcConfig.parseSize("2g"));
        assertThrows(IllegalArgumentException.class, () -> RpcConfig.parseSize("0"));
        assertThrows(IllegalArgumentException.class, () -> RpcConfig.parseSize("m"));
        assertThrows(IllegalArgumentException.class, () -> RpcConfig.parseSize("99999999999t"));
    }

    @Test
    void theRegistryFindsTheProtocolKeysAsExecutorContainers() {
        dev.weft.conf.ConfigRegistry r = dev.weft.conf.ConfigRegistry.loaded();
        for (ConfigKey<?> k : RpcConfig.KEYS) {
            assertEquals(k, r.find(k.name()));
            assertEquals("executor-container", k.owner());
        }
        // a WeftConf checks the values as RpcConfig reads them, before anything starts
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class,
                () -> dev.weft.conf.WeftConf.defaults().with("weft.rpc.max-frame-bytes", "3g"));
        assertTrue(e.getMessage().contains("'3g'") && e.getMessage().contains("[1k, 2147483639]"), e.getMessage());
        e = assertThrows(
                IllegalArgumentException.class,
                () -> dev.weft.conf.WeftConf.defaults().with("weft.rpc.askTimeout", "3s"));
        assertTrue(e.getMessage().contains("did you mean weft.rpc.ask-timeout?"), e.getMessage());
    }
}
