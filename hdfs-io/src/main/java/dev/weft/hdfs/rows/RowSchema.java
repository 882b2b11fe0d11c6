package dev.weft.hdfs.rows;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The named, typed columns of a {@link Row}, in order: what CSV with a header, JSON lines and Parquet files hold.
 * Immutable; build with {@link #builder()}.
 */
public final class RowSchema implements Serializable {
    /** A column's type and the Java type of its values. */
    public enum Type {
        STRING(String.class),
        INT(Integer.class),
        LONG(Long.class),
        DOUBLE(Double.class),
        FLOAT(Float.class),
        BOOLEAN(Boolean.class),
        BYTES(byte[].class);

        private final Class<?> javaType;

        Type(Class<?> javaType) {
            this.javaType = javaType;
        }

        public Class<?> javaType() {
            return javaType;
        }
    }

    /** One column; values may be null. */
    public record Column(String name, Type type) implements Serializable {
        public Column {
            Objects.requireNonNull(name, "name is null");
            Objects.requireNonNull(type, "type is null");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a column needs a name");
            }
        }
    }

    private final List<Column> columns;
    private final Map<String, Integer> index;

    private RowSchema(List<Column> columns) {
        this.columns = List.copyOf(columns);
        Map<String, Integer> idx = new HashMap<>();
        for (int i = 0; i < this.columns.size(); i++) {
            if (idx.put(this.columns.get(i).name(), i) != null) {
                throw new IllegalArgumentException(
                        "column " + this.columns.get(i).name() + " appears twice");
            }
        }
        if (idx.isEmpty()) {
            throw new IllegalArgumentException("a schema needs at least one column");
        }
        this.index = Map.copyOf(idx);
    }

    public static RowSchema of(List<Column> columns) {
        return new RowSchema(columns);
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<Column> columns() {
        return columns;
    }

    public int size() {
        return columns.size();
    }

    public Column column(int i) {
        return columns.get(i);
    }

    /** The position of column {@code name}; fails naming the columns there are. */
    public int indexOf(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("no column " + name + " in " + this);
        }
        return i;
    }

    public boolean has(String name) {
        return index.containsKey(name);
    }

    /** The schema of {@code names}' columns, in that order (a projection). */
    public RowSchema select(List<String> names) {
        List<Column> out = new ArrayList<>();
        for (String n : names) {
            out.add(columns.get(indexOf(n)));
        }
        return new RowSchema(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RowSchema s && s.columns.equals(columns);
    }

    @Override
    public int hashCode() {
        return columns.hashCode();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (Column c : columns) {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append(c.name()).append(' ').append(c.type().name().toLowerCase(java.util.Locale.ROOT));
        }
        return sb.append(')').toString();
    }

    /** Adds columns in order. Not thread-safe. */
    public static final class Builder {
        private final List<Column> columns = new ArrayList<>();

        public Builder add(String name, Type type) {
            columns.add(new Column(name, type));
            return this;
        }

        public Builder string(String name) {
            return add(name, Type.STRING);
        }

        public Builder int32(String name) {
            return add(name, Type.INT);
        }

        public Builder int64(String name) {
            return add(name, Type.LONG);
        }

        public Builder float64(String name) {
            return add(name, Type.DOUBLE);
        }

        public Builder bool(String name) {
            return add(name, Type.BOOLEAN);
        }

        public RowSchema build() {
            return new RowSchema(columns);
        }
    }
}
