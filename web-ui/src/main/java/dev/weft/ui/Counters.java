package dev.weft.ui;

import dev.weft.metrics.TaskMetrics;

/**
 * An immutable copy of {@link TaskMetrics}: the counters of one task attempt, or their sum over a stage or a job
 * ({@code peakMemoryBytes} is the maximum, not a sum). What the pages, the JSON API and the event log show.
 */
public record Counters(
        long inputRecords,
        long inputBytes,
        long outputRecords,
        long outputBytes,
        long shuffleRecordsWritten,
        long shuffleBytesWritten,
        long shuffleRecordsRead,
        long shuffleBytesRead,
        long shuffleBytesReadRemote,
        long fetchWaitMillis,
        long spillCount,
        long spillBytes,
        long peakMemoryBytes,
        long runMillis,
        long gcMillis) {

    public static final Counters ZERO = new Counters(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0);

    /** The counters of {@code m}; {@link #ZERO} for null (an attempt that reported none). */
    public static Counters of(TaskMetrics m) {
        if (m == null) {
            return ZERO;
        }
        return new Counters(
                m.inputRecords,
                m.inputBytes,
                m.outputRecords,
                m.outputBytes,
                m.shuffleRecordsWritten,
                m.shuffleBytesWritten,
                m.shuffleRecordsRead,
                m.shuffleBytesRead,
                m.shuffleBytesReadRemote,
                m.fetchWaitNanos / 1_000_000,
                m.spillCount,
                m.spillBytes,
                m.peakMemoryBytes,
                m.runNanos / 1_000_000,
                m.gcMillis);
    }

    /** Bytes read from local shuffle files: what was read and not fetched over the network. */
    public long shuffleBytesReadLocal() {
        return shuffleBytesRead - shuffleBytesReadRemote;
    }

    public Counters plus(Counters o) {
        return new Counters(
                inputRecords + o.inputRecords,
                inputBytes + o.inputBytes,
                outputRecords + o.outputRecords,
                outputBytes + o.outputBytes,
                shuffleRecordsWritten + o.shuffleRecordsWritten,
                shuffleBytesWritten + o.shuffleBytesWritten,
                shuffleRecordsRead + o.shuffleRecordsRead,
                shuffleBytesRead + o.shuffleBytesRead,
                shuffleBytesReadRemote + o.shuffleBytesReadRemote,
                fetchWaitMillis + o.fetchWaitMillis,
                spillCount + o.spillCount,
                spillBytes + o.spillBytes,
                Math.max(peakMemoryBytes, o.peakMemoryBytes),
                runMillis + o.runMillis,
                gcMillis + o.gcMillis);
    }
}
