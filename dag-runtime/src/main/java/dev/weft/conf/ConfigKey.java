package dev.weft.conf;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One configuration key: its name, the module that owns (reads) it, its default ({@code null}: none, or derived
 * from other keys as the doc says), a one-line doc and the parser that checks its range. Names are lower-case
 * words joined by dots and hyphens ({@code weft.scheduler.max-registered-wait}); a unit never appears in a name,
 * the parser's {@link ConfigUnit} says how a bare number is read. Immutable.
 */
public record ConfigKey<T>(String name, String owner, String defaultValue, String doc, ConfigParser<T> parser) {
    private static final Pattern NAME = Pattern.compile("weft(\\.[a-z][a-z0-9]*(-[a-z0-9]+)*)+");

    public ConfigKey {
        Objects.requireNonNull(name, "name is null");
        Objects.requireNonNull(owner, "owner is null");
        Objects.requireNonNull(doc, "doc is null");
        Objects.requireNonNull(parser, "parser is null");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("key name '" + name + "' is not weft.lower-case.words");
        }
        if (doc.isBlank() || doc.contains("\n")) {
            throw new IllegalArgumentException("doc of " + name + " must be one non-blank line");
        }
        if (defaultValue != null) {
            var unused = parser.parse(defaultValue); // a default outside its own range is a programming error
        }
    }

    public ConfigUnit unit() {
        return parser.unit();
    }

    /**
     * Parses {@code raw}.
     *
     * @throws IllegalArgumentException naming this key, the value and the accepted range
     */
    public T parse(String raw) {
        try {
            return parser.parse(raw);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "invalid value for " + name + ": '" + raw + "' (" + e.getMessage() + "; expected "
                            + parser.accepted() + ")",
                    e);
        }
    }
}
