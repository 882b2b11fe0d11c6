package dev.weft.shuffle.yarn;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigKeyProvider;
import dev.weft.conf.ConfigParsers;
import java.util.List;

/**
 * The NodeManager shuffle service's own keys (set in yarn-site.xml), for the registry and docs/CONFIGURATION.md.
 * Compiled against dag-runtime in provided scope and left out of the shaded jar: inside the NodeManager,
 * {@link ShuffleServiceConfig} validates these keys itself.
 */
public final class ShuffleServiceConfigKeys implements ConfigKeyProvider {
    private static final String MODULE = "external-shuffle-aux-service";

    public static final ConfigKey<Integer> PORT = new ConfigKey<>(
            ShuffleServiceConfig.PORT,
            MODULE,
            Integer.toString(ShuffleServiceConfig.DEFAULT_PORT),
            "TCP port of the NodeManager shuffle service; 0 picks a free one (tests only: a fixed port survives"
                    + " NodeManager restarts).",
            ConfigParsers.port());
    public static final ConfigKey<String> BIND_HOST = new ConfigKey<>(
            ShuffleServiceConfig.BIND_HOST,
            MODULE,
            ShuffleServiceConfig.DEFAULT_BIND_HOST,
            "Address the shuffle service binds; the default binds every interface.",
            ConfigParsers.nonEmpty());

    public static final List<ConfigKey<?>> KEYS = List.of(PORT, BIND_HOST);

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return KEYS;
    }
}
