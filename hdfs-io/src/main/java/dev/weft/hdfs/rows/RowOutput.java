package dev.weft.hdfs.rows;

/** What every row writer checks of a record. Stateless. */
final class RowOutput {
    private RowOutput() {}

    /** {@code record} as a row of {@code schema}; fails naming what it is instead. */
    static Row checked(Object record, RowSchema schema, String format) {
        if (record instanceof Row row && row.schema().equals(schema)) {
            return row;
        }
        throw new IllegalArgumentException("this " + format + " output takes rows of " + schema + ", not "
                + (record instanceof Row row ? "rows of " + row.schema() : String.valueOf(record)));
    }
}
