package dev.weft.hdfs.rows;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.Writer;
import java.util.Base64;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * JSON lines (one JSON object per line) to and from rows of a schema, with Jackson. Reading: a column missing from an
 * object, or null in it, is null; fields outside the schema are ignored; a value of the wrong JSON type, a line that
 * is not an object, or broken JSON is malformed. Empty lines are skipped. Writing: one object per row, null columns
 * left out, BYTES as Base64 strings. Stateless (an ObjectMapper per partition).
 */
public final class JsonLines {
    private JsonLines() {}

    /** A partition's lines as rows of {@code schema}; malformed lines go to {@code malformed}. */
    public static Iterator<Row> rows(Iterator<TextLine> lines, RowSchema schema, MalformedRows malformed) {
        ObjectMapper mapper = new ObjectMapper();
        return new Iterator<>() {
            Row next;

            @Override
            public boolean hasNext() {
                while (next == null && lines.hasNext()) {
                    TextLine line = lines.next();
                    if (line.text().isBlank()) {
                        continue;
                    }
                    try {
                        next = row(mapper.readTree(line.text()), schema);
                    } catch (JsonProcessingException e) {
                        malformed.handle(line, "not JSON (" + e.getOriginalMessage() + ")");
                    } catch (IllegalArgumentException e) {
                        malformed.handle(line, e.getMessage());
                    }
                }
                return next != null;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                Row r = next;
                next = null;
                return r;
            }
        };
    }

    private static Row row(JsonNode node, RowSchema schema) {
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("a line must hold one JSON object");
        }
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            RowSchema.Column c = schema.column(i);
            JsonNode v = node.get(c.name());
            if (v == null || v.isNull()) {
                continue;
            }
            values[i] = value(v, c);
        }
        return Row.of(schema, values);
    }

    private static Object value(JsonNode v, RowSchema.Column c) {
        switch (c.type()) {
            case STRING:
                if (v.isTextual()) {
                    return v.textValue();
                }
                break;
            case INT:
                if (v.canConvertToInt() && v.isIntegralNumber()) {
                    return v.intValue();
                }
                break;
            case LONG:
                if (v.canConvertToLong() && v.isIntegralNumber()) {
                    return v.longValue();
                }
                break;
            case DOUBLE:
                if (v.isNumber()) {
                    return v.doubleValue();
                }
                break;
            case FLOAT:
                if (v.isNumber()) {
                    return v.floatValue();
                }
                break;
            case BOOLEAN:
                if (v.isBoolean()) {
                    return v.booleanValue();
                }
                break;
            case BYTES:
                if (v.isTextual()) {
                    try {
                        return Base64.getDecoder().decode(v.textValue());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("field " + c.name() + " is not Base64", e);
                    }
                }
                break;
        }
        throw new IllegalArgumentException("field " + c.name() + " is " + v.getNodeType() + " " + v + ", not a "
                + c.type().name().toLowerCase(java.util.Locale.ROOT));
    }

    /** Writes {@code row} as one JSON object and a line break. */
    static void write(Row row, JsonGenerator g, Writer w) throws IOException {
        g.writeStartObject();
        RowSchema schema = row.schema();
        for (int i = 0; i < schema.size(); i++) {
            Object v = row.get(i);
            if (v == null) {
                continue;
            }
            String name = schema.column(i).name();
            switch (schema.column(i).type()) {
                case STRING -> g.writeStringField(name, (String) v);
                case INT -> g.writeNumberField(name, (Integer) v);
                case LONG -> g.writeNumberField(name, (Long) v);
                case DOUBLE -> g.writeNumberField(name, (Double) v);
                case FLOAT -> g.writeNumberField(name, (Float) v);
                case BOOLEAN -> g.writeBooleanField(name, (Boolean) v);
                case BYTES -> g.writeStringField(name, Base64.getEncoder().encodeToString((byte[]) v));
            }
        }
        g.writeEndObject();
        g.flush();
        w.write('\n');
    }

    /** A generator over {@code w} that never closes it. */
    static JsonGenerator generator(Writer w) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(w);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.disable(JsonGenerator.Feature.FLUSH_PASSED_TO_STREAM); // a flush per row would reach HDFS per row
        return g;
    }
}
