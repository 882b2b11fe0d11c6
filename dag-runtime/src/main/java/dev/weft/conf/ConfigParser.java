package dev.weft.conf;

import java.util.Objects;
import java.util.function.Function;

/**
 * Reads one key's value: its unit, the values it accepts (in words, for errors and docs) and the function that
 * parses a raw string. The function throws {@link IllegalArgumentException} with a short reason ("not a number",
 * "out of range"); {@link ConfigKey#parse} turns that into a message naming the key, the value and {@link
 * #accepted()}. Immutable and thread-safe when {@code function} is (every parser in {@link ConfigParsers} is).
 */
public record ConfigParser<T>(ConfigUnit unit, String accepted, Function<String, T> function) {
    public ConfigParser {
        Objects.requireNonNull(unit, "unit is null");
        Objects.requireNonNull(accepted, "accepted is null");
        Objects.requireNonNull(function, "function is null");
    }

    public T parse(String raw) {
        return function.apply(raw);
    }
}
