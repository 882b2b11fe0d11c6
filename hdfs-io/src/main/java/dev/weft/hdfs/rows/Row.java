package dev.weft.hdfs.rows;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * One record of a table-shaped file (CSV, JSON lines, Parquet): values by column, typed by its {@link RowSchema}.
 * Immutable (a byte[] value is the caller's not to change); values may be null.
 */
public final class Row implements Serializable {
    private final RowSchema schema;
    private final Object[] values;

    private Row(RowSchema schema, Object[] values) {
        this.schema = schema;
        this.values = values;
    }

    /** A row of {@code schema}; each value null or of its column's Java type. */
    public static Row of(RowSchema schema, Object... values) {
        Objects.requireNonNull(schema, "schema is null");
        if (values.length != schema.size()) {
            throw new IllegalArgumentException(
                    values.length + " values for the " + schema.size() + " columns of " + schema);
        }
        Object[] copy = values.clone();
        for (int i = 0; i < copy.length; i++) {
            Object v = copy[i];
            RowSchema.Column c = schema.column(i);
            if (v != null && !c.type().javaType().isInstance(v)) {
                throw new IllegalArgumentException("column " + c.name() + " holds " + c.type() + " values, not "
                        + v.getClass().getName() + " (" + v + ")");
            }
        }
        return new Row(schema, copy);
    }

    public RowSchema schema() {
        return schema;
    }

    public Object get(int i) {
        return values[i];
    }

    public Object get(String column) {
        return values[schema.indexOf(column)];
    }

    public String getString(String column) {
        return (String) get(column);
    }

    public Long getLong(String column) {
        return (Long) get(column);
    }

    public Integer getInt(String column) {
        return (Integer) get(column);
    }

    public Double getDouble(String column) {
        return (Double) get(column);
    }

    public Boolean getBoolean(String column) {
        return (Boolean) get(column);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Row r && r.schema.equals(schema) && Arrays.deepEquals(r.values, values);
    }

    @Override
    public int hashCode() {
        return 31 * schema.hashCode() + Arrays.deepHashCode(values);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Row(");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            Object v = values[i];
            sb.append(schema.column(i).name())
                    .append('=')
                    .append(v instanceof byte[] b ? java.util.HexFormat.of().formatHex(b) : String.valueOf(v));
        }
        return sb.append(')').toString();
    }
}
