package dev.weft.hdfs.rows;

import dev.weft.hdfs.hadoop.Writables;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.orc.TypeDescription;
import org.apache.orc.mapred.OrcStruct;
import org.apache.orc.storage.ql.exec.vector.BytesColumnVector;
import org.apache.orc.storage.ql.exec.vector.ColumnVector;
import org.apache.orc.storage.ql.exec.vector.DoubleColumnVector;
import org.apache.orc.storage.ql.exec.vector.LongColumnVector;
import org.apache.orc.storage.ql.exec.vector.VectorizedRowBatch;

/**
 * Between ORC and {@link Row}s, for flat structs of the types Parquet rows have: int, bigint, float, double,
 * boolean, string (also char/varchar when read) and binary. Nested, list, map, decimal and date columns are refused
 * naming the column. Stateless.
 */
public final class OrcRows {
    private OrcRows() {}

    /** The ORC struct type of {@code schema}. */
    public static TypeDescription typeOf(RowSchema schema) {
        TypeDescription struct = TypeDescription.createStruct();
        for (RowSchema.Column c : schema.columns()) {
            TypeDescription t = switch (c.type()) {
                case STRING -> TypeDescription.createString();
                case BYTES -> TypeDescription.createBinary();
                case INT -> TypeDescription.createInt();
                case LONG -> TypeDescription.createLong();
                case DOUBLE -> TypeDescription.createDouble();
                case FLOAT -> TypeDescription.createFloat();
                case BOOLEAN -> TypeDescription.createBoolean();
            };
            struct.addField(c.name(), t);
        }
        return struct;
    }

    /** The row schema of a flat ORC struct; fails naming a column of a type rows do not hold. */
    public static RowSchema schemaOf(TypeDescription struct) {
        if (struct.getCategory() != TypeDescription.Category.STRUCT) {
            throw new IllegalArgumentException("an ORC file of " + struct + " holds no struct rows");
        }
        List<RowSchema.Column> columns = new ArrayList<>();
        List<String> names = struct.getFieldNames();
        for (int i = 0; i < names.size(); i++) {
            TypeDescription t = struct.getChildren().get(i);
            RowSchema.Type type = switch (t.getCategory()) {
                case STRING, CHAR, VARCHAR -> RowSchema.Type.STRING;
                case BINARY -> RowSchema.Type.BYTES;
                case INT, SHORT, BYTE -> RowSchema.Type.INT;
                case LONG -> RowSchema.Type.LONG;
                case DOUBLE -> RowSchema.Type.DOUBLE;
                case FLOAT -> RowSchema.Type.FLOAT;
                case BOOLEAN -> RowSchema.Type.BOOLEAN;
                default ->
                    throw new IllegalArgumentException("column " + names.get(i) + " is " + t
                            + ": only flat records of numbers, booleans, strings and binary are read as rows");
            };
            columns.add(new RowSchema.Column(names.get(i), type));
        }
        return RowSchema.of(columns);
    }

    /** {@code struct} (a record OrcInputFormat's reader returned, about to be reused) as a row of {@code schema}. */
    public static Row toRow(OrcStruct struct, RowSchema schema, Configuration conf) {
        Object[] values = new Object[schema.size()];
        for (int i = 0; i < values.length; i++) {
            Object v = Writables.toWeft(struct.getFieldValue(i), conf);
            if (v instanceof Short s) {
                v = s.intValue();
            } else if (v instanceof Byte b) {
                v = b.intValue();
            }
            values[i] = v;
        }
        return Row.of(schema, values);
    }

    /** Puts {@code row} into the next slot of {@code batch} (whose type {@link #typeOf} made of the row's schema). */
    static void add(Row row, VectorizedRowBatch batch) {
        int r = batch.size++;
        for (int i = 0; i < batch.numCols; i++) {
            ColumnVector col = batch.cols[i];
            Object v = row.get(i);
            if (v == null) {
                col.noNulls = false;
                col.isNull[r] = true;
                continue;
            }
            col.isNull[r] = false;
            switch (row.schema().column(i).type()) {
                case STRING -> ((BytesColumnVector) col).setVal(r, ((String) v).getBytes(StandardCharsets.UTF_8));
                case BYTES -> ((BytesColumnVector) col).setVal(r, (byte[]) v);
                case INT -> ((LongColumnVector) col).vector[r] = (Integer) v;
                case LONG -> ((LongColumnVector) col).vector[r] = (Long) v;
                case BOOLEAN -> ((LongColumnVector) col).vector[r] = ((Boolean) v) ? 1 : 0;
                case DOUBLE -> ((DoubleColumnVector) col).vector[r] = (Double) v;
                case FLOAT -> ((DoubleColumnVector) col).vector[r] = (Float) v;
            }
        }
    }
}
