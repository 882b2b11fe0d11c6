package dev.weft.shuffle;

import dev.weft.metrics.TaskMetrics;
import dev.weft.serde.RecordInput;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@link RecordStream} a reduce task consumes: the merged (or concatenated) records, each deserialized
 * lazily, or — with an aggregator — one record per run of equal key bytes whose value is the combined
 * value ({@code mergeCombiners} over map-side combiners, otherwise {@code createCombiner} then
 * {@code mergeValue} over raw values).
 *
 * <p>Owns its sources, its temporary merge files and its memory reservation; {@link #close()} releases
 * them all and may be called at any time, more than once. Not thread-safe.
 */
final class ReduceRecordStream implements RecordStream {
    private final ShuffleSpec spec;
    private final RecordSource source;
    private final MemoryReservation memory;
    private final List<Path> temps;
    private final TaskMetrics metrics;
    private final boolean aggregate;
    private final RecordInput input = new RecordInput();

    // Aggregating mode: the current group's key, copied out of the source, and its combined value.
    private byte[] groupKey = new byte[64];
    private int groupKeyLen;
    private Object groupKeyObject;
    private boolean groupKeyDecoded;
    private Object groupValue;
    /** Whether the source is positioned on a record that belongs to the next group. */
    private boolean lookahead;

    private boolean exhausted;

    private boolean positioned;
    private boolean closed;

    ReduceRecordStream(
            ShuffleSpec spec, RecordSource source, MemoryReservation memory, List<Path> temps, TaskMetrics metrics) {
        this.spec = spec;
        this.metrics = metrics;
        this.source = source;
        this.memory = memory;
        this.temps = temps;
        this.aggregate = spec.aggregator() != null;
    }

    @Override
    public boolean advance() {
        if (closed || exhausted) {
            positioned = false;
            return false;
        }
        try {
            positioned = aggregate ? nextGroup() : source.next();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read merged shuffle records", e);
        }
        if (!positioned) {
            exhausted = true;
        }
        return positioned;
    }

    private boolean nextGroup() throws IOException {
        if (!lookahead && !source.next()) {
            return false;
        }
        int len = source.keyLen();
        if (groupKey.length < len) {
            groupKey = new byte[Math.max(len, groupKey.length * 2)];
        }
        System.arraycopy(source.keyBuf(), source.keyOff(), groupKey, 0, len);
        groupKeyLen = len;
        groupKeyDecoded = false;
        groupKeyObject = null;
        Object v = source.value(spec.valueSerializer());
        groupValue =
                spec.mapSideCombine() ? v : spec.aggregator().createCombiner().apply(v);
        while ((lookahead = source.next())
                && KeyOrder.compareBytes(groupKey, 0, groupKeyLen, source.keyBuf(), source.keyOff(), source.keyLen())
                        == 0) {
            Object next = source.value(spec.valueSerializer());
            groupValue = spec.mapSideCombine()
                    ? spec.aggregator().mergeCombiners().apply(groupValue, next)
                    : spec.aggregator().mergeValue().apply(groupValue, next);
        }
        return true;
    }

    private void checkPositioned() {
        if (!positioned) {
            throw new IllegalStateException("no current record: call advance() first and only while it returns true");
        }
    }

    @Override
    public Object key() {
        checkPositioned();
        if (!aggregate) {
            return source.key(spec.keySerializer());
        }
        if (!groupKeyDecoded) {
            groupKeyObject = spec.keySerializer().read(input.reset(groupKey, 0, groupKeyLen));
            groupKeyDecoded = true;
        }
        return groupKeyObject;
    }

    @Override
    public Object value() {
        checkPositioned();
        return aggregate ? groupValue : source.value(spec.valueSerializer());
    }

    @Override
    public byte[] keyBuffer() {
        checkPositioned();
        return aggregate ? groupKey : source.keyBuf();
    }

    @Override
    public int keyOffset() {
        checkPositioned();
        return aggregate ? 0 : source.keyOff();
    }

    @Override
    public int keyLength() {
        checkPositioned();
        return aggregate ? groupKeyLen : source.keyLen();
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        positioned = false;
        try {
            source.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close shuffle blocks", e);
        } finally {
            metrics.peakMemoryBytes = Math.max(metrics.peakMemoryBytes, memory.peak());
            memory.close();
            ShuffleReader.deleteAll(temps);
        }
    }
}
