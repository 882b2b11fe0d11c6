package dev.weft.conf;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * Every {@code weft.*} key of the modules on the classpath, collected from their {@link ConfigKeyProvider}s, and
 * the prefixes each module owns. It decides what a {@code weft.*} key in a configuration is: a registered key (its
 * value is parsed now), a key under a prefix whose owner is not on the classpath (accepted unchecked: a local-only
 * program may read a file that also configures YARN), or a mistake (rejected, naming the closest registered key).
 * Immutable and thread-safe.
 */
public final class ConfigRegistry {
    /** The module of this registry; keys under no owned prefix belong to it. */
    public static final String CORE_MODULE = "dag-runtime";

    /**
     * Prefixes owned by modules other than dag-runtime. Known here, not only to the providers, so that a key under
     * the prefix of an absent module can be told from a misspelling.
     */
    public static final Map<String, List<String>> OWNED_PREFIXES = Map.ofEntries(
            Map.entry("weft.yarn.", List.of("yarn-am")),
            Map.entry("weft.client.", List.of("yarn-am")),
            Map.entry("weft.driver.", List.of("yarn-am")),
            Map.entry("weft.scheduler.", List.of("yarn-am")),
            Map.entry("weft.dynamic-allocation.", List.of("yarn-am")),
            Map.entry("weft.executor.", List.of("yarn-am", "executor-container")),
            Map.entry("weft.rpc.", List.of("executor-container")),
            Map.entry("weft.shuffle.transport.", List.of("shuffle-transport")),
            Map.entry("weft.shuffle.fetch.", List.of("executor-container")),
            Map.entry("weft.shuffle.service.", List.of("external-shuffle-aux-service")),
            Map.entry("weft.testkit.", List.of("testkit")),
            Map.entry("weft.event-log.", List.of("web-ui")),
            Map.entry("weft.history.", List.of("web-ui")));

    /** Suggestions further than this (in single-character edits) from the unknown key are not worth showing. */
    private static final int MAX_SUGGESTION_DISTANCE = 3;

    private static volatile Loaded loaded;

    private record Loaded(ClassLoader loader, ConfigRegistry registry) {}

    private final Map<String, ConfigKey<?>> keys;
    private final Set<String> modules;

    private ConfigRegistry(Collection<? extends ConfigKeyProvider> providers) {
        Map<String, ConfigKey<?>> byName = new TreeMap<>();
        Set<String> present = new LinkedHashSet<>();
        present.add(CORE_MODULE);
        for (ConfigKeyProvider p : providers) {
            present.add(p.module());
            for (ConfigKey<?> k : p.keys()) {
                if (!k.owner().equals(p.module())) {
                    throw new IllegalStateException(
                            k.name() + " is listed by " + p.module() + " but owned by " + k.owner());
                }
                if (!ownersOf(k.name()).contains(k.owner())) {
                    throw new IllegalStateException(k.name() + " is owned by " + k.owner()
                            + " but its prefix belongs to " + ownersOf(k.name()));
                }
                ConfigKey<?> previous = byName.put(k.name(), k);
                if (previous != null) {
                    throw new IllegalStateException(
                            k.name() + " is registered twice, by " + previous.owner() + " and " + k.owner());
                }
            }
        }
        this.keys = java.util.Collections.unmodifiableMap(byName);
        this.modules = Set.copyOf(present);
    }

    /** A registry of exactly these providers (tests; production code uses {@link #loaded()}). */
    public static ConfigRegistry of(Collection<? extends ConfigKeyProvider> providers) {
        return new ConfigRegistry(List.copyOf(providers));
    }

    /** The providers found by {@link ServiceLoader} through the context class loader; loaded once per loader. */
    public static ConfigRegistry loaded() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        if (cl == null) {
            cl = ConfigRegistry.class.getClassLoader();
        }
        Loaded current = loaded;
        if (current == null || current.loader() != cl) {
            List<ConfigKeyProvider> providers = new ArrayList<>();
            ServiceLoader.load(ConfigKeyProvider.class, cl).forEach(providers::add);
            current = new Loaded(cl, new ConfigRegistry(providers));
            loaded = current; // a race only loads twice; both results are equal
        }
        return current.registry();
    }

    /** Every registered key, by name. */
    public Collection<ConfigKey<?>> keys() {
        return keys.values();
    }

    /** Modules whose provider was found, always including {@value #CORE_MODULE}. */
    public Set<String> modules() {
        return modules;
    }

    public ConfigKey<?> find(String name) {
        return keys.get(name);
    }

    /** The modules that own {@code name}'s prefix; {@value #CORE_MODULE} for a key under no owned prefix. */
    public static List<String> ownersOf(String name) {
        String best = null;
        for (String prefix : OWNED_PREFIXES.keySet()) {
            if (name.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? List.of(CORE_MODULE) : OWNED_PREFIXES.get(best);
    }

    /**
     * Checks every {@code weft.*} entry of {@code values}; other entries are ignored.
     *
     * @throws IllegalArgumentException for a malformed or out-of-range value (naming key, value and range) or an
     *     unknown key whose owners are all on the classpath (naming the closest registered key)
     */
    public void validate(Map<String, String> values) {
        for (Map.Entry<String, String> e : values.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith("weft.")) {
                continue;
            }
            ConfigKey<?> key = keys.get(name);
            if (key != null) {
                key.parse(e.getValue());
            } else if (modules.containsAll(ownersOf(name))) {
                throw new IllegalArgumentException(unknownKeyMessage(name));
            }
        }
    }

    private String unknownKeyMessage(String name) {
        String message = "unknown configuration key '" + name + "'";
        Map<String, Integer> distances = new HashMap<>();
        for (String candidate : keys.keySet()) {
            distances.put(candidate, EditDistance.between(normalized(name), normalized(candidate)));
        }
        return distances.entrySet().stream()
                .filter(d -> d.getValue() <= MAX_SUGGESTION_DISTANCE)
                .min(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(d -> message + "; did you mean " + d.getKey() + "?")
                .orElse(message + " (every key is listed in docs/CONFIGURATION.md)");
    }

    /** Case and hyphens do not count as edits, so an old camelCase name finds its hyphenated successor. */
    private static String normalized(String name) {
        return name.toLowerCase(java.util.Locale.ROOT).replace("-", "").replace("_", "");
    }

    /** Keys in the order docs/CONFIGURATION.md lists them: by owner module, then name. */
    public List<ConfigKey<?>> keysByModule() {
        List<ConfigKey<?>> sorted = new ArrayList<>(keys.values());
        sorted.sort(Comparator.comparing((ConfigKey<?> k) -> k.owner()).thenComparing(ConfigKey::name));
        return sorted;
    }
}
