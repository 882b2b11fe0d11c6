package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigRegistry;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class TestShuffleServiceConfigKeys {
    @Test
    void registryFindsTheServiceKeysWithTheServicesDefaults() {
        ConfigRegistry r = ConfigRegistry.loaded();
        for (ConfigKey<?> k : ShuffleServiceConfigKeys.KEYS) {
            assertEquals(k, r.find(k.name()));
        }
        ShuffleServiceConfig d = ShuffleServiceConfig.defaults();
        assertEquals(d.port(), ShuffleServiceConfigKeys.PORT.parse(ShuffleServiceConfigKeys.PORT.defaultValue()));
        assertEquals(d.bindHost(), ShuffleServiceConfigKeys.BIND_HOST.defaultValue());
    }

    /** The NodeManager validates with ShuffleServiceConfig, programs with the registry: both must agree. */
    @Test
    void registryAndServiceAcceptTheSameValues() {
        for (ConfigKey<?> k : ShuffleServiceConfigKeys.KEYS) {
            for (String probe : List.of("0", "7447", "65535", "65536", "-1", "x", " ", "localhost", " 80 ")) {
                Configuration conf = new Configuration(false);
                conf.set(k.name(), probe);
                boolean byService = accepts(() -> ShuffleServiceConfig.from(conf));
                boolean byRegistry = accepts(() -> k.parse(probe));
                assertEquals(byService, byRegistry, k.name() + "='" + probe + "'");
            }
        }
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
