package dev.weft.transport;

import java.util.Locale;

/**
 * Size and duration values as every Weft key reads them (see {@code dev.weft.conf.ConfigParsers}): sizes take k, m,
 * g, t (binary; a trailing b is ignored) and a bare number is bytes; durations take ms, s, min, h, a bare number
 * is milliseconds and {@code m} is refused. A copy, because this module also runs inside the NodeManager, where
 * dag-runtime is absent; TestTransportConfigKeys checks that both read every probe value alike.
 */
final class Units {
    private Units() {}

    static long parseBytes(String key, String value) {
        String t = value.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("b")) {
            t = t.substring(0, t.length() - 1);
        }
        int shift = 0;
        if (!t.isEmpty()) {
            shift = switch (t.charAt(t.length() - 1)) {
                case 'k' -> 10;
                case 'm' -> 20;
                case 'g' -> 30;
                case 't' -> 40;
                default -> 0;
            };
            if (shift != 0) {
                t = t.substring(0, t.length() - 1);
            }
        }
        long v;
        try {
            v = Long.parseLong(t.trim());
        } catch (NumberFormatException e) {
            throw invalid(key, value, "not a size; expected a size such as 512k, 64m or 2g", e);
        }
        if (v < 0 || v > (Long.MAX_VALUE >> shift)) {
            throw invalid(key, value, "out of range; expected a size such as 512k, 64m or 2g", null);
        }
        return v << shift;
    }

    static long parseMillis(String key, String value) {
        String t = value.trim().toLowerCase(Locale.ROOT);
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
            throw invalid(key, value, "'m' is ambiguous for a duration; write min for minutes", null);
        } else {
            mult = 1;
        }
        try {
            long v = Math.multiplyExact(Long.parseLong(t.trim()), mult);
            if (v < 0) {
                throw invalid(key, value, "out of range; expected a duration > 0", null);
            }
            return v;
        } catch (NumberFormatException | ArithmeticException e) {
            throw invalid(key, value, "not a duration; expected a duration such as 500ms, 30s or 2min", e);
        }
    }

    private static IllegalArgumentException invalid(String key, String value, String why, Exception cause) {
        return new IllegalArgumentException("invalid value for " + key + ": '" + value + "' (" + why + ")", cause);
    }
}
