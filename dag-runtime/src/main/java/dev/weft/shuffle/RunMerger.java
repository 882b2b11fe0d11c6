package dev.weft.shuffle;

import dev.weft.serde.RecordInput;
import dev.weft.serde.RecordOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes sorted runs, merged partition by partition, into a {@link SegmentedOutput}: one segment per
 * partition, in the runs' shared key order. With map-side combining, adjacent records with equal key
 * bytes become one record whose value is {@code mergeCombiners} of theirs; a key seen once is copied as
 * bytes without deserializing.
 *
 * <p>Not thread-safe; one merge at a time per instance.
 */
final class RunMerger {
    private final ShuffleSpec spec;
    private final KeyOrder order;
    private final boolean combine;
    private final RecordOutput scratch = new RecordOutput();
    private final RecordInput input = new RecordInput();

    // the key being combined, copied out of its source (whose bytes change on next())
    private byte[] heldKey = new byte[64];
    private int heldKeyLen;
    private byte[] heldValue = new byte[64];
    private int heldValueLen;
    private Object heldCombiner;
    private boolean holding;

    RunMerger(ShuffleSpec spec, KeyOrder order, boolean combine) {
        this.spec = spec;
        this.order = order;
        this.combine = combine;
    }

    /** Result of a merge: each partition's length and CRC32C, and the records written. */
    record Result(long[] lengths, int[] checksums, long records) {}

    Result merge(List<? extends SortedRun> runs, SegmentedOutput out) throws IOException {
        int n = spec.numPartitions();
        long[] lengths = new long[n];
        int[] checksums = new int[n];
        long records = 0;
        for (int p = 0; p < n; p++) {
            List<RecordSource> sources = new ArrayList<>(runs.size());
            for (SortedRun run : runs) {
                if (!run.isEmpty(p)) {
                    sources.add(run.partition(p));
                }
            }
            if (!sources.isEmpty()) {
                RecordSource merged = sources.size() == 1
                        ? sources.get(0)
                        : order.ordering() == KeyOrdering.NONE
                                ? new ConcatRecordSource(sources)
                                : new MergingRecordSource(sources, order);
                try (merged) {
                    records += combine ? writeCombined(merged, out) : copy(merged, out);
                }
            }
            lengths[p] = out.endSegment();
            checksums[p] = out.lastChecksum();
        }
        return new Result(lengths, checksums, records);
    }

    private static long copy(RecordSource src, SegmentedOutput out) throws IOException {
        long records = 0;
        while (src.next()) {
            out.writeRecord(src.keyBuf(), src.keyOff(), src.keyLen(), src.valueBuf(), src.valueOff(), src.valueLen());
            records++;
        }
        return records;
    }

    private long writeCombined(RecordSource src, SegmentedOutput out) throws IOException {
        long records = 0;
        holding = false;
        while (src.next()) {
            if (holding
                    && KeyOrder.compareBytes(heldKey, 0, heldKeyLen, src.keyBuf(), src.keyOff(), src.keyLen()) == 0) {
                if (heldCombiner == null) {
                    heldCombiner = spec.valueSerializer().read(input.reset(heldValue, 0, heldValueLen));
                }
                Object other = src.value(spec.valueSerializer());
                heldCombiner = spec.aggregator().mergeCombiners().apply(heldCombiner, other);
                continue;
            }
            if (holding) {
                emitHeld(out);
                records++;
            }
            hold(src);
        }
        if (holding) {
            emitHeld(out);
            records++;
        }
        return records;
    }

    private void hold(RecordSource src) {
        if (heldKey.length < src.keyLen()) {
            heldKey = new byte[Math.max(src.keyLen(), heldKey.length * 2)];
        }
        System.arraycopy(src.keyBuf(), src.keyOff(), heldKey, 0, src.keyLen());
        heldKeyLen = src.keyLen();
        if (heldValue.length < src.valueLen()) {
            heldValue = new byte[Math.max(src.valueLen(), heldValue.length * 2)];
        }
        System.arraycopy(src.valueBuf(), src.valueOff(), heldValue, 0, src.valueLen());
        heldValueLen = src.valueLen();
        heldCombiner = null;
        holding = true;
    }

    private void emitHeld(SegmentedOutput out) throws IOException {
        if (heldCombiner == null) {
            out.writeRecord(heldKey, 0, heldKeyLen, heldValue, 0, heldValueLen);
        } else {
            scratch.reset();
            spec.valueSerializer().write(heldCombiner, scratch);
            out.writeRecord(heldKey, 0, heldKeyLen, scratch.array(), 0, scratch.size());
        }
        holding = false;
        heldCombiner = null;
    }
}
