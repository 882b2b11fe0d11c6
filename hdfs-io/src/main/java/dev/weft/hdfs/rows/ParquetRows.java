package dev.weft.hdfs.rows;

import java.util.ArrayList;
import java.util.List;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;
import org.apache.parquet.schema.Types;

/**
 * Between Parquet's example Groups and {@link Row}s, for flat schemas of primitives and strings (the records this
 * module reads and writes): INT32 and INT64 (INT and LONG), FLOAT, DOUBLE, BOOLEAN, BINARY annotated as a string
 * (STRING) or not (BYTES), every column optional (a missing value is null). Nested and repeated columns are refused
 * naming the column. Stateless.
 */
public final class ParquetRows {
    private ParquetRows() {}

    /** The Parquet message type of {@code schema}. */
    public static MessageType messageType(RowSchema schema) {
        Types.MessageTypeBuilder b = Types.buildMessage();
        for (RowSchema.Column c : schema.columns()) {
            switch (c.type()) {
                case STRING ->
                    b.optional(PrimitiveTypeName.BINARY)
                            .as(LogicalTypeAnnotation.stringType())
                            .named(c.name());
                case BYTES -> b.optional(PrimitiveTypeName.BINARY).named(c.name());
                case INT -> b.optional(PrimitiveTypeName.INT32).named(c.name());
                case LONG -> b.optional(PrimitiveTypeName.INT64).named(c.name());
                case DOUBLE -> b.optional(PrimitiveTypeName.DOUBLE).named(c.name());
                case FLOAT -> b.optional(PrimitiveTypeName.FLOAT).named(c.name());
                case BOOLEAN -> b.optional(PrimitiveTypeName.BOOLEAN).named(c.name());
            }
        }
        return b.named("row");
    }

    /** The row schema of a flat Parquet type; fails naming a column that is nested, repeated or of another type. */
    public static RowSchema rowSchema(GroupType type) {
        List<RowSchema.Column> columns = new ArrayList<>();
        for (Type f : type.getFields()) {
            if (!f.isPrimitive() || f.isRepetition(Type.Repetition.REPEATED)) {
                throw new IllegalArgumentException("column " + f.getName() + " is nested or repeated (" + f
                        + "): only flat records of primitives and strings are read as rows");
            }
            PrimitiveType p = f.asPrimitiveType();
            RowSchema.Type t = switch (p.getPrimitiveTypeName()) {
                case INT32 -> RowSchema.Type.INT;
                case INT64 -> RowSchema.Type.LONG;
                case FLOAT -> RowSchema.Type.FLOAT;
                case DOUBLE -> RowSchema.Type.DOUBLE;
                case BOOLEAN -> RowSchema.Type.BOOLEAN;
                case BINARY, FIXED_LEN_BYTE_ARRAY ->
                    LogicalTypeAnnotation.stringType().equals(p.getLogicalTypeAnnotation())
                            ? RowSchema.Type.STRING
                            : RowSchema.Type.BYTES;
                case INT96 ->
                    throw new IllegalArgumentException("column " + f.getName()
                            + " is INT96 (a legacy timestamp), which is not read as a row value");
            };
            columns.add(new RowSchema.Column(f.getName(), t));
        }
        return RowSchema.of(columns);
    }

    /** The row of {@code g}, whose type {@code schema} was made from. */
    public static Row toRow(Group g, RowSchema schema) {
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            if (g.getFieldRepetitionCount(i) == 0) {
                continue;
            }
            values[i] = switch (schema.column(i).type()) {
                case STRING -> g.getString(i, 0);
                case BYTES -> g.getBinary(i, 0).getBytes();
                case INT -> g.getInteger(i, 0);
                case LONG -> g.getLong(i, 0);
                case DOUBLE -> g.getDouble(i, 0);
                case FLOAT -> g.getFloat(i, 0);
                case BOOLEAN -> g.getBoolean(i, 0);
            };
        }
        return Row.of(schema, values);
    }

    /** The group of {@code row} in {@code factory}'s message type (made from the row's schema). */
    public static Group toGroup(Row row, SimpleGroupFactory factory) {
        Group g = factory.newGroup();
        RowSchema schema = row.schema();
        for (int i = 0; i < schema.size(); i++) {
            Object v = row.get(i);
            if (v == null) {
                continue;
            }
            String name = schema.column(i).name();
            switch (schema.column(i).type()) {
                case STRING -> g.append(name, (String) v);
                case BYTES -> g.append(name, Binary.fromConstantByteArray((byte[]) v));
                case INT -> g.append(name, (Integer) v);
                case LONG -> g.append(name, (Long) v);
                case DOUBLE -> g.append(name, (Double) v);
                case FLOAT -> g.append(name, (Float) v);
                case BOOLEAN -> g.append(name, (Boolean) v);
            }
        }
        return g;
    }
}
