package dev.weft.conf;

import java.util.List;
import java.util.Locale;

/**
 * The parsers keys are built from. Each states its range in {@link ConfigParser#accepted()}, in the words an error
 * message and docs/CONFIGURATION.md show. Sizes are binary (k = 1024); a duration's bare number is milliseconds and
 * {@code m} is refused for durations (it reads as MiB elsewhere; write {@code min}).
 */
public final class ConfigParsers {
    private ConfigParsers() {}

    /** Any text, trimmed of nothing (paths may end in spaces on purpose). */
    public static ConfigParser<String> text() {
        return new ConfigParser<>(ConfigUnit.NONE, "any text", s -> s);
    }

    public static ConfigParser<String> nonEmpty() {
        return new ConfigParser<>(ConfigUnit.NONE, "a non-empty value", s -> {
            if (s.isBlank()) {
                throw new IllegalArgumentException("empty");
            }
            return s.trim();
        });
    }

    public static ConfigParser<String> oneOf(String... choices) {
        List<String> allowed = List.of(choices);
        return new ConfigParser<>(ConfigUnit.NONE, "one of " + String.join(", ", allowed), s -> {
            if (!allowed.contains(s.trim())) {
                throw new IllegalArgumentException("not one of the choices");
            }
            return s.trim();
        });
    }

    /** {@code true} or {@code false} (any case); anything else is refused rather than read as false. */
    public static ConfigParser<Boolean> bool() {
        return new ConfigParser<>(ConfigUnit.NONE, "true or false", s -> {
            String v = s.trim().toLowerCase(Locale.ROOT);
            if (v.equals("true")) {
                return true;
            }
            if (v.equals("false")) {
                return false;
            }
            throw new IllegalArgumentException("not true or false");
        });
    }

    /**
     * A comma-separated list of fully qualified Java class names (blanks around commas ignored; empty: none). Only
     * the syntax is checked here: whether a class exists depends on the class path of the JVM that loads it.
     */
    public static ConfigParser<List<String>> classNames() {
        return new ConfigParser<>(ConfigUnit.NONE, "comma-separated class names such as com.example.MyListener", s -> {
            List<String> names = new java.util.ArrayList<>();
            for (String part : s.split(",", -1)) {
                String name = part.trim();
                if (name.isEmpty()) {
                    if (s.isBlank()) {
                        break;
                    }
                    throw new IllegalArgumentException("an empty class name between commas");
                }
                if (!CLASS_NAME.matcher(name).matches()) {
                    throw new IllegalArgumentException("'" + name + "' is not a class name");
                }
                names.add(name);
            }
            return List.copyOf(names);
        });
    }

    private static final java.util.regex.Pattern CLASS_NAME =
            java.util.regex.Pattern.compile("\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*"
                    + "(\\.\\p{javaJavaIdentifierStart}\\p{javaJavaIdentifierPart}*)*");

    public static ConfigParser<Integer> intAtLeast(int min) {
        return count(min, Integer.MAX_VALUE, "an integer >= " + min);
    }

    public static ConfigParser<Integer> intInRange(int min, int max) {
        return count(min, max, "an integer in [" + min + ", " + max + "]");
    }

    public static ConfigParser<Integer> port() {
        return new ConfigParser<>(
                ConfigUnit.PORT, "an integer in [0, 65535]", count(0, 65535, "").function());
    }

    private static ConfigParser<Integer> count(int min, int max, String accepted) {
        return new ConfigParser<>(ConfigUnit.COUNT, accepted, s -> {
            long v;
            try {
                v = Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not an integer", e);
            }
            if (v < min || v > max) {
                throw new IllegalArgumentException("out of range");
            }
            return (int) v;
        });
    }

    public static ConfigParser<Double> fraction() {
        return new ConfigParser<>(ConfigUnit.FRACTION, "a number in [0, 1]", s -> {
            double v;
            try {
                v = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number", e);
            }
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        });
    }

    /** A number (not a count) greater than {@code exclusiveMin}, e.g. a multiplier. */
    public static ConfigParser<Double> numberAbove(double exclusiveMin) {
        return new ConfigParser<>(ConfigUnit.NONE, "a number > " + exclusiveMin, s -> {
            double v;
            try {
                v = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a number", e);
            }
            if (!(v > exclusiveMin) || Double.isInfinite(v)) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        });
    }

    /** A size in bytes within [min, max]; a bare number is bytes. */
    public static ConfigParser<Long> bytes(long min, long max) {
        return size(ConfigUnit.BYTES, 0, min, max);
    }

    /** A container's memory in bytes, at least {@code min} bytes; a bare number is MiB (see {@link ConfigUnit}). */
    public static ConfigParser<Long> mebibytes(long min) {
        return size(ConfigUnit.MEBIBYTES, 20, min, Long.MAX_VALUE);
    }

    private static ConfigParser<Long> size(ConfigUnit unit, int bareShift, long min, long max) {
        String accepted = "a size in [" + formatSize(min) + ", " + (max == Long.MAX_VALUE ? "∞" : formatSize(max))
                + "] such as 512k, 64m or 2g";
        return new ConfigParser<>(unit, accepted, s -> {
            long v = parseSize(s, bareShift);
            if (v < min || v > max) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        });
    }

    /** A duration in milliseconds, at least {@code minMillis}; a bare number is milliseconds. */
    public static ConfigParser<Long> durationMillis(long minMillis) {
        return new ConfigParser<>(
                ConfigUnit.DURATION, "a duration >= " + formatMillis(minMillis) + " such as 500ms, 30s or 2min", s -> {
                    long v = parseDurationMillis(s);
                    if (v < minMillis) {
                        throw new IllegalArgumentException("out of range");
                    }
                    return v;
                });
    }

    /**
     * Bytes of {@code s}: a number with an optional k, m, g or t suffix (binary; a trailing b is ignored after
     * them); a bare number is shifted left by {@code bareShift} (0: bytes, 20: MiB), a number ending in b is bytes.
     */
    static long parseSize(String s, int bareShift) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        boolean explicitBytes = t.endsWith("b");
        if (explicitBytes) {
            t = t.substring(0, t.length() - 1);
        }
        // "4096b" says bytes even where a bare number means MiB
        int shift = explicitBytes ? 0 : bareShift;
        if (!t.isEmpty()) {
            int suffix = switch (t.charAt(t.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                case 't' -> 40;
                default -> -1;
            };
            if (suffix >= 0) {
                shift = suffix;
                t = t.substring(0, t.length() - 1);
            }
        }
        long v;
        try {
            v = Long.parseLong(t.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size", e);
        }
        if (v < 0 || v > (Long.MAX_VALUE >> shift)) {
            throw new IllegalArgumentException("out of range");
        }
        return v << shift;
    }

    static long parseDurationMillis(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        long mult;
        if (t.endsWith("ms")) {
            mult = 1;
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("min")) {
            mult = 60_000;
            t = t.substring(0, t.length() - 3);
        } else if (t.endsWith("s")) {
            mult = 1_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("h")) {
            mult = 3_600_000;
            t = t.substring(0, t.length() - 1);
        } else if (t.endsWith("m")) {
            throw new IllegalArgumentException("'m' is ambiguous for a duration; write min for minutes");
        } else {
            mult = 1;
        }
        try {
            long v = Math.multiplyExact(Long.parseLong(t.trim()), mult);
            if (v < 0) {
                throw new IllegalArgumentException("out of range");
            }
            return v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException("not a duration", e);
        }
    }

    static String formatSize(long bytes) {
        String[] suffixes = {"t", "g", "m", "k"};
        int[] shifts = {40, 30, 20, 10};
        for (int i = 0; i < shifts.length; i++) {
            if (bytes != 0 && bytes % (1L << shifts[i]) == 0) {
                return (bytes >> shifts[i]) + suffixes[i];
            }
        }
        return Long.toString(bytes);
    }

    static String formatMillis(long millis) {
        if (millis != 0 && millis % 60_000 == 0) {
            return millis / 60_000 + "min";
        }
        if (millis != 0 && millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
