package dev.weft.hdfs.rows;

import dev.weft.api.LongAccumulator;
import java.io.Serializable;

/**
 * What reading CSV or JSON lines does with a line it cannot make a row of: fail the task naming the file, the line's
 * offset and why (the default), or drop the line and count it in an accumulator the program reads after the job.
 * Immutable; serializable (it travels with the tasks).
 */
public final class MalformedRows implements Serializable {
    private static final MalformedRows FAIL = new MalformedRows(null);

    private final LongAccumulator dropped;

    private MalformedRows(LongAccumulator dropped) {
        this.dropped = dropped;
    }

    /** Fail the task (and, as every attempt fails alike, the job) with a message naming the file and line. */
    public static MalformedRows fail() {
        return FAIL;
    }

    /** Drop malformed lines, counting them in {@code dropped} (e.g. {@code ctx.longAccumulator("bad rows")}). */
    public static MalformedRows dropAndCount(LongAccumulator dropped) {
        return new MalformedRows(java.util.Objects.requireNonNull(dropped, "dropped is null"));
    }

    /** Handles one malformed line: returns normally when it is to be dropped, throws otherwise. */
    void handle(TextLine line, String why) {
        if (dropped == null) {
            throw new MalformedRowException("malformed row in " + line.where() + ": " + why);
        }
        dropped.add(1);
    }

    /** A line of a CSV or JSON-lines file that is not a row of the expected schema. */
    public static final class MalformedRowException extends IllegalArgumentException {
        MalformedRowException(String message) {
            super(message);
        }
    }
}
