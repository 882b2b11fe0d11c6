package dev.weft.conf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Weft's configuration: an immutable map of {@code weft.*} keys, validated when built so a malformed or
 * misspelled key fails at start-up with the key's name, never deep inside a job. Each module owns its keys (see
 * {@link ConfigKeyProvider}); {@link ConfigRegistry} decides which {@code weft.*} names are valid. Every key, with
 * its default and unit, is listed in docs/CONFIGURATION.md.
 */
public final class WeftConf {
    private final Map<String, String> values;
    private final ConfigRegistry registry;

    private WeftConf(Map<String, String> values, ConfigRegistry registry) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.registry = Objects.requireNonNull(registry, "registry is null");
        registry.validate(this.values);
    }

    private WeftConf(Map<String, String> values) {
        this(values, ConfigRegistry.loaded());
    }

    public static WeftConf defaults() {
        return new WeftConf(Map.of());
    }

    public static WeftConf of(Map<String, String> values) {
        return new WeftConf(values);
    }

    /** A configuration checked against {@code registry} instead of the providers on the classpath (tests). */
    public static WeftConf of(Map<String, String> values, ConfigRegistry registry) {
        return new WeftConf(values, registry);
    }

    /** A copy with one key set. */
    public WeftConf with(String key, String value) {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(value, "value of " + key + " is null");
        Map<String, String> m = new LinkedHashMap<>(values);
        m.put(key, value);
        return new WeftConf(m, registry);
    }

    public <T> WeftConf with(ConfigKey<T> key, String value) {
        return with(key.name(), value);
    }

    /** The parsed value, or null when neither set nor defaulted. */
    public <T> T get(ConfigKey<T> key) {
        String raw = values.getOrDefault(key.name(), key.defaultValue());
        return raw == null ? null : key.parse(raw);
    }

    public <T> T get(ConfigKey<T> key, T fallback) {
        T v = get(key);
        return v == null ? fallback : v;
    }

    public Map<String, String> asMap() {
        return values;
    }

    @Override
    public String toString() {
        return "WeftConf" + values;
    }
}
