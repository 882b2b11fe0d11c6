package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.conf.ConfigDocs;
import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigRegistry;
import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.executor.rpc.RpcConfig;
import dev.weft.executor.shuffle.ShuffleFetchConfig;
import dev.weft.shuffle.yarn.ShuffleServiceConfigKeys;
import dev.weft.transport.TransportConfigKeys;
import dev.weft.ui.UiConfigKeys;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * docs/CONFIGURATION.md matches the registry. yarn-am's test classpath holds every module with keys a job reads (the aux
 * service as a test dependency), so this is the one place that sees them all. The test kit's keys ({@code
 * weft.testkit.*}) are the exception: the kit depends on yarn-am, and its keys are set by the kit itself, never by a
 * user, so they are documented in {@code TestkitConfigKeys} rather than here.
 */
class TestConfigurationDoc {
    private static final Path DOC = Path.of("..", "docs", "CONFIGURATION.md");

    @Test
    void registryFindsEveryModulesKeys() {
        ConfigRegistry r = ConfigRegistry.loaded();
        assertEquals(
                Set.of(
                        "dag-runtime",
                        "shuffle-transport",
                        "executor-container",
                        "yarn-am",
                        "external-shuffle-aux-service",
                        "web-ui"),
                r.modules());
        Set<String> owners = new HashSet<>();
        ConfigRegistry.OWNED_PREFIXES.values().forEach(owners::addAll);
        owners.remove("testkit");
        assertTrue(r.modules().containsAll(owners), "every prefix owner is on this classpath");
        List<List<? extends ConfigKey<?>>> perModule = List.of(
                RuntimeConfigKeys.KEYS,
                YarnConfigKeys.KEYS,
                RpcConfig.KEYS,
                ShuffleFetchConfig.KEYS,
                TransportConfigKeys.KEYS,
                ShuffleServiceConfigKeys.KEYS,
                UiConfigKeys.KEYS);
        int total = 0;
        for (List<? extends ConfigKey<?>> keys : perModule) {
            for (ConfigKey<?> k : keys) {
                assertEquals(k, r.find(k.name()));
            }
            total += keys.size();
        }
        assertEquals(total, r.keys().size(), "no key comes from elsewhere");
    }

    @Test
    void configurationDocIsUpToDate() throws IOException {
        String expected = ConfigDocs.markdown(ConfigRegistry.loaded());
        if (Boolean.getBoolean("weft.docs.regenerate")) {
            Files.writeString(DOC, expected, StandardCharsets.UTF_8);
        }
        String actual = Files.exists(DOC) ? Files.readString(DOC, StandardCharsets.UTF_8) : "";
        assertTrue(
                expected.equals(actual),
                "docs/CONFIGURATION.md is stale (a key was added, renamed or changed); regenerate it with: "
                        + ConfigDocs.REGENERATE);
        for (ConfigKey<?> k : ConfigRegistry.loaded().keys()) {
            assertTrue(actual.contains("| `" + k.name() + "` | "), k.name());
        }
    }
}
