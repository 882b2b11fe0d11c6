package dev.weft.yarn;

import dev.weft.conf.ConfigParser;
import dev.weft.conf.ConfigUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Parsers of the container-launch keys: Java options, environment variables and application tags. Stateless. */
final class LaunchParsers {
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** YARN's limits ({@code yarn.resourcemanager.application.max-tags}, {@code .max-tag.length}). */
    static final int MAX_TAGS = 10;

    static final int MAX_TAG_LENGTH = 100;

    private LaunchParsers() {}

    /**
     * Java options separated by blanks; single or double quotes keep blanks inside one option. The heap is set by
     * the memory key, so {@code -Xmx} is refused rather than silently fighting it.
     */
    static ConfigParser<List<String>> javaOptions() {
        return new ConfigParser<>(
                ConfigUnit.NONE,
                "JVM options separated by blanks (quote an option that holds blanks); no -Xmx (set the memory key)",
                LaunchParsers::splitOptions);
    }

    static List<String> splitOptions(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean inToken = false;
        char quote = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inToken = true;
            } else if (Character.isWhitespace(c)) {
                if (inToken) {
                    out.add(cur.toString());
                    cur.setLength(0);
                    inToken = false;
                }
            } else {
                cur.append(c);
                inToken = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed quote " + quote);
        }
        if (inToken) {
            out.add(cur.toString());
        }
        for (String o : out) {
            if (o.startsWith("-Xmx") || o.startsWith("-XX:MaxHeapSize")) {
                throw new IllegalArgumentException(o + " sets the heap; use the memory key instead");
            }
            if (!o.startsWith("-")) {
                throw new IllegalArgumentException("'" + o + "' is not a JVM option (options start with -)");
            }
        }
        return List.copyOf(out);
    }

    /**
     * {@code NAME=value,NAME=value} (MapReduce's {@code mapreduce.map.env} form; a value cannot hold a comma).
     * Weft's own variables and CLASSPATH are refused: Weft sets them (use {@code -libjars} for jars).
     */
    static ConfigParser<Map<String, String>> environment() {
        return new ConfigParser<>(ConfigUnit.NONE, "NAME=value pairs separated by commas", s -> {
            Map<String, String> env = new LinkedHashMap<>();
            for (String part : s.split(",", -1)) {
                if (part.isBlank()) {
                    continue;
                }
                int eq = part.indexOf('=');
                String name = eq < 0 ? part.trim() : part.substring(0, eq).trim();
                if (eq < 0 || !ENV_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("'" + part.trim() + "' is not NAME=value");
                }
                if (name.equals("CLASSPATH") || name.startsWith("WEFT_")) {
                    throw new IllegalArgumentException(name + " is set by Weft (use -libjars to add jars)");
                }
                env.put(name, part.substring(eq + 1));
            }
            return Collections.unmodifiableMap(env);
        });
    }

    /** Comma-separated tags, lower-cased as the ResourceManager stores them by default. */
    static ConfigParser<Set<String>> tags() {
        return new ConfigParser<>(
                ConfigUnit.NONE,
                "comma-separated tags of at most " + MAX_TAG_LENGTH + " ASCII characters, at most " + (MAX_TAGS - 2),
                s -> {
                    Set<String> tags = new LinkedHashSet<>();
                    for (String part : s.split(",", -1)) {
                        String t = part.trim().toLowerCase(Locale.ROOT);
                        if (t.isEmpty()) {
                            continue;
                        }
                        if (t.length() > MAX_TAG_LENGTH || !t.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f)) {
                            throw new IllegalArgumentException("tag '" + t + "' is longer than " + MAX_TAG_LENGTH
                                    + " characters or not printable ASCII");
                        }
                        tags.add(t);
                    }
                    // Weft adds two of its own to each application (weft, and the driver's id on the executors').
                    if (tags.size() > MAX_TAGS - 2) {
                        throw new IllegalArgumentException(
                                tags.size() + " tags; YARN keeps " + MAX_TAGS + " and Weft uses 2");
                    }
                    return Collections.unmodifiableSet(tags);
                });
    }
}
