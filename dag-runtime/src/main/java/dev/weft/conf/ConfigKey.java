package dev.weft.conf;

import java.util.Objects;
import java.util.function.Function;

/**
 * One configuration key: name, documentation, default and parser. The parser throws
 * {@link IllegalArgumentException} with a message naming what was expected; {@link WeftConf} adds the key.
 */
public record ConfigKey<T>(String name, String doc, String defaultValue, Function<String, T> parser) {
    public ConfigKey {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(doc, "doc is null");
        Objects.requireNonNull(parser, "parser is null");
    }

    static Function<String, Integer> intAtLeast(int min) {
        return s -> {
            int v;
            try {
                v = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected an integer >= " + min + ", got '" + s + "'");
            }
            if (v < min) {
                throw new IllegalArgumentException("expected an integer >= " + min + ", got " + v);
            }
            return v;
        };
    }

    static Function<String, Double> fraction() {
        return s -> {
            double v;
            try {
                v = Double.parseDouble(s.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a number in [0, 1], got '" + s + "'");
            }
            if (!(v >= 0 && v <= 1)) {
                throw new IllegalArgumentException("expected a number in [0, 1], got " + v);
            }
            return v;
        };
    }

    static Function<String, String> nonEmpty() {
        return s -> {
            if (s.isBlank()) {
                throw new IllegalArgumentException("expected a non-empty value");
            }
            return s.trim();
        };
    }

    /** Sizes like {@code 512}, {@code 64k}, {@code 8m}, {@code 2g} (binary units). */
    static Function<String, Long> bytes() {
        return s -> {
            String t = s.trim().toLowerCase(java.util.Locale.ROOT);
            long mult = 1;
            if (t.endsWith("b")) {
                t = t.substring(0, t.length() - 1);
            }
            if (!t.isEmpty()) {
                char u = t.charAt(t.length() - 1);
                mult = switch (u) {
                    case 'k' -> 1L << 10;
                    case 'm' -> 1L << 20;
                    case 'g' -> 1L << 30;
                    case 't' -> 1L << 40;
                    default -> 1;
                };
                if (mult != 1) {
                    t = t.substring(0, t.length() - 1);
                }
            }
            try {
                long v = Long.parseLong(t.trim()) * mult;
                if (v <= 0) {
                    throw new IllegalArgumentException("expected a positive size, got '" + s + "'");
                }
                return v;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected a size such as 512k, 64m or 2g, got '" + s + "'");
            }
        };
    }

    /**
     * Non-negative durations in milliseconds: {@code 3s}, {@code 500ms}, {@code 2m}, {@code 1h}; a bare number
     * is milliseconds (as Spark reads its {@code locality.wait}).
     */
    static Function<String, Long> durationMillis() {
        return s -> {
            String t = s.trim().toLowerCase(java.util.Locale.ROOT);
            long mult;
            if (t.endsWith("ms")) {
                mult = 1;
                t = t.substring(0, t.length() - 2);
            } else if (t.endsWith("s")) {
                mult = 1_000;
                t = t.substring(0, t.length() - 1);
            } else if (t.endsWith("m")) {
                mult = 60_000;
                t = t.substring(0, t.length() - 1);
            } else if (t.endsWith("h")) {
                mult = 3_600_000;
                t = t.substring(0, t.length() - 1);
            } else {
                mult = 1;
            }
            try {
                long v = Math.multiplyExact(Long.parseLong(t.trim()), mult);
                if (v < 0) {
                    throw new IllegalArgumentException("expected a duration >= 0, got '" + s + "'");
                }
                return v;
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("expected a duration such as 3s, 500ms or 1m, got '" + s + "'");
            }
        };
    }
}
