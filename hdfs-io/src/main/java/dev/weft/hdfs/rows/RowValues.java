package dev.weft.hdfs.rows;

import java.util.Base64;
import java.util.Locale;

/** Text forms of row values, shared by CSV and JSON lines. Stateless. */
final class RowValues {
    private RowValues() {}

    /**
     * The value of {@code text} in a column of {@code type}; an empty field is null for every type but STRING. BYTES
     * are Base64.
     *
     * @throws IllegalArgumentException naming the value and the type when it does not parse
     */
    static Object parse(String text, RowSchema.Type type) {
        if (type == RowSchema.Type.STRING) {
            return text;
        }
        if (text.isEmpty()) {
            return null;
        }
        try {
            return switch (type) {
                case INT -> Integer.valueOf(text.trim());
                case LONG -> Long.valueOf(text.trim());
                case DOUBLE -> Double.valueOf(text.trim());
                case FLOAT -> Float.valueOf(text.trim());
                case BOOLEAN -> parseBoolean(text.trim());
                case BYTES -> Base64.getDecoder().decode(text.trim());
                case STRING -> text;
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "\"" + text + "\" is not a " + type.name().toLowerCase(Locale.ROOT) + " value", e);
        }
    }

    private static Boolean parseBoolean(String s) {
        if (s.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (s.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw new IllegalArgumentException("not true or false");
    }

    /** The text of a value (null: the empty string). */
    static String format(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        return String.valueOf(v);
    }
}
