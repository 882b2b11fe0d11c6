package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.transport.TransportConfig;
import java.time.Duration;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class TestShuffleServiceConfig {
    private static Configuration conf() {
        return new Configuration(false);
    }

    @Test
    void defaults() {
        ShuffleServiceConfig config = ShuffleServiceConfig.from(conf());
        assertEquals(ShuffleServiceConfig.defaults(), config);
        assertEquals(7447, config.port());
        assertEquals("0.0.0.0", config.bindHost());
        assertEquals(TransportConfig.defaults(), config.transport());
    }

    @Test
    void integrityIsRequiredByDefaultOnlyOnASecureCluster() {
        assertEquals(false, ShuffleServiceConfig.from(conf()).transport().integrity());
        Configuration secure = conf();
        secure.set("hadoop.security.authentication", "kerberos");
        assertEquals(true, ShuffleServiceConfig.from(secure).transport().integrity());
        secure.set("weft.shuffle.transport.integrity", "false");
        assertEquals(false, ShuffleServiceConfig.from(secure).transport().integrity(), "the key wins");
        Configuration unsecured = conf();
        unsecured.set("weft.shuffle.transport.integrity", "true");
        assertEquals(true, ShuffleServiceConfig.from(unsecured).transport().integrity());
        assertKeyNamed("weft.shuffle.transport.integrity", "yes", "weft.shuffle.transport.integrity");
    }

    @Test
    void readsEveryKey() {
        Configuration conf = conf();
        conf.set("weft.shuffle.service.port", " 0 ");
        conf.set("weft.shuffle.service.bind-host", "127.0.0.1");
        conf.set("weft.shuffle.transport.disk-threads", "9");
        conf.set("weft.shuffle.transport.idle-timeout", "1500");
        conf.set("unrelated.key", "x");
        ShuffleServiceConfig config = ShuffleServiceConfig.from(conf);
        assertEquals(0, config.port());
        assertEquals("127.0.0.1", config.bindHost());
        assertEquals(9, config.transport().diskThreads());
        assertEquals(Duration.ofMillis(1500), config.transport().idleTimeout());
        assertEquals(
                TransportConfig.defaults().maxFrameBytes(), config.transport().maxFrameBytes());
    }

    @Test
    void errorsNameTheKey() {
        assertKeyNamed("weft.shuffle.service.port", "abc", "weft.shuffle.service.port");
        assertKeyNamed("weft.shuffle.service.port", "65536", "weft.shuffle.service.port");
        assertKeyNamed("weft.shuffle.service.port", "-1", "weft.shuffle.service.port");
        assertKeyNamed("weft.shuffle.service.bind-host", " ", "weft.shuffle.service.bind-host");
        assertKeyNamed("weft.shuffle.transport.disk-threads", "0", "weft.shuffle.transport.disk-threads");
        assertKeyNamed("weft.shuffle.transport.max-frame-bytes", "lots", "weft.shuffle.transport.max-frame-bytes");
        assertKeyNamed("weft.shuffle.transport.disk-thread", "4", "weft.shuffle.transport.disk-thread");
    }

    private static void assertKeyNamed(String key, String value, String expectedInMessage) {
        Configuration conf = conf();
        conf.set(key, value);
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> ShuffleServiceConfig.from(conf));
        assertTrue(e.getMessage().contains(expectedInMessage), e.getMessage());
    }
}
