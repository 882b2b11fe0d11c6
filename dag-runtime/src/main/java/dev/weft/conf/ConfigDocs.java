package dev.weft.conf;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes docs/CONFIGURATION.md from a {@link ConfigRegistry}: one table row per key. The file is generated, never
 * edited by hand; a test in yarn-am (whose test classpath sees every module's keys) fails when it is stale.
 */
public final class ConfigDocs {
    /** How to rewrite the file; the staleness test prints it too. */
    public static final String REGENERATE = "mvn -o -B -pl yarn-am -am test -Dtest=TestConfigurationDoc"
            + " -Dsurefire.failIfNoSpecifiedTests=false -Dweft.docs.regenerate=true";

    private static final String INTRO = """
            Every `weft.*` key, with its default, unit and the module that reads it. Programs take keys as
            `-D key=value` (or `WeftConf.with`); the NodeManager reads `weft.shuffle.service.*` and
            `weft.shuffle.transport.*` from `yarn-site.xml`. An unknown `weft.*` key fails at start-up, naming the
            closest known key, unless it lies under the prefix of a module that is not on the classpath (such as
            `weft.yarn.` in a local-only program). A value out of range fails naming the key, the value and the
            accepted range.

            Units: sizes take `k`, `m`, `g`, `t` suffixes (binary); a bare number is bytes, except for container
            memory (`weft.driver.memory`, `weft.executor.memory`), where it is MiB as YARN and Spark read it, and
            a number ending in `b` is always bytes. Durations take `ms`, `s`, `min`, `h`; a bare number is
            milliseconds; `m` is refused for a duration because it reads as MiB. Key names are lower-case words
            joined by dots and hyphens and never carry a unit.
            """;

    private ConfigDocs() {}

    /** The whole Markdown file for {@code registry}. */
    public static String markdown(ConfigRegistry registry) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Configuration\n\n")
                .append(
                        "<!-- Generated from every module's ConfigKeyProvider by dev.weft.conf.ConfigDocs; do not edit.\n")
                .append("     Regenerate: ")
                .append(REGENERATE)
                .append(" -->\n\n")
                .append(INTRO);
        Map<String, StringBuilder> byModule = new TreeMap<>();
        for (ConfigKey<?> k : registry.keysByModule()) {
            byModule.computeIfAbsent(
                            k.owner(),
                            m -> new StringBuilder()
                                    .append("\n## ")
                                    .append(m)
                                    .append("\n\n| Key | Default | Unit | Meaning |\n|---|---|---|---|\n"))
                    .append("| `")
                    .append(k.name())
                    .append("` | ")
                    .append(k.defaultValue() == null ? "-" : "`" + k.defaultValue() + "`")
                    .append(" | ")
                    .append(k.unit().doc())
                    .append(" | ")
                    .append(escape(k.doc()))
                    .append(" Accepts ")
                    .append(escape(k.parser().accepted()))
                    .append(". |\n");
        }
        byModule.values().forEach(sb::append);
        return sb.toString();
    }

    private static String escape(String s) {
        return s.replace("|", "\\|");
    }

    /** Writes the file for the providers on the classpath to {@code args[0]} (default docs/CONFIGURATION.md). */
    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/CONFIGURATION.md");
        Files.writeString(out, markdown(ConfigRegistry.loaded()), StandardCharsets.UTF_8);
    }
}
