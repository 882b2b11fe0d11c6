package dev.weft.shuffle;

import java.util.ArrayList;
import java.util.List;

/**
 * The map side's in-memory buffer: records serialized once, in their final framed form, into byte pages,
 * and referenced from a primitive array of two longs per record, {@code meta} and {@code prefix}:
 * <ul>
 *   <li>{@code meta = partition << 40 | page << 20 | offsetInPage} (partitions below 2^24, pages below
 *       2^20, pages at most 1 MiB; a record larger than a page gets a page of its own at offset 0);</li>
 *   <li>{@code prefix} = the first 8 key bytes as an unsigned big-endian long, zero-padded, so most
 *       comparisons never touch the pages.</li>
 * </ul>
 * Every page and the pointer array are charged to a {@link MemoryReservation}; when it refuses,
 * {@link #append} returns false and the writer spills this buffer.
 *
 * <p>Not thread-safe; owned by one map task.
 */
final class RecordBuffer implements AutoCloseable {
    static final int MAX_PAGE_SIZE = 1 << 20;
    static final int MAX_PARTITIONS = 1 << 24;
    private static final int INITIAL_ENTRIES = 256;
    /** The page asked for when a full page is refused. */
    static final int SMALL_PAGE_SIZE = 4 * 1024;

    private final MemoryReservation memory;
    private final int pageSize;
    private final List<byte[]> pages = new ArrayList<>();
    private byte[] page;
    private int pagePos;
    private long pageBytes;
    private long[] entries = new long[0];
    private int count;
    private boolean allKeysOrderPreserving = true;

    RecordBuffer(MemoryReservation memory, int pageSize) {
        if (pageSize <= 0 || pageSize > MAX_PAGE_SIZE) {
            throw new IllegalArgumentException("page size must be in (0, " + MAX_PAGE_SIZE + "]: " + pageSize);
        }
        this.memory = memory;
        this.pageSize = pageSize;
    }

    /**
     * Appends one record; false (and nothing changed) when the memory for it was refused.
     *
     * @param keyOrderPreserving whether the key serializer says these key bytes are order-preserving
     */
    boolean append(int partition, byte[] key, int keyLen, byte[] value, int valueLen, boolean keyOrderPreserving) {
        if (count * 2 == entries.length && !growEntries()) {
            return false;
        }
        int size = Varints.size(keyLen) + keyLen + Varints.size(valueLen) + valueLen;
        if (page == null || size > page.length - pagePos) {
            int newPageSize = Math.max(pageSize, size);
            if (pages.size() == 1 << 20) {
                return false;
            }
            if (!memory.tryReserve(newPageSize)) {
                // A full page may exceed a task's fair share when many tasks share a small budget; a small
                // page still lets this task buffer records instead of writing each one through.
                int smallPageSize = Math.max(SMALL_PAGE_SIZE, size);
                if (smallPageSize >= newPageSize || !memory.tryReserve(smallPageSize)) {
                    return false;
                }
                newPageSize = smallPageSize;
            }
            page = new byte[newPageSize];
            pages.add(page);
            pagePos = 0;
            pageBytes += newPageSize;
        }
        int off = pagePos;
        int p = Varints.write(page, off, keyLen);
        System.arraycopy(key, 0, page, p, keyLen);
        p = Varints.write(page, p + keyLen, valueLen);
        System.arraycopy(value, 0, page, p, valueLen);
        pagePos = p + valueLen;
        entries[2 * count] = ((long) partition << 40) | ((long) (pages.size() - 1) << 20) | off;
        entries[2 * count + 1] = prefix(key, keyLen);
        count++;
        allKeysOrderPreserving &= keyOrderPreserving;
        return true;
    }

    private boolean growEntries() {
        int newLen = entries.length == 0 ? INITIAL_ENTRIES * 2 : entries.length * 2;
        if (newLen < 0 || !memory.tryReserve((long) (newLen - entries.length) * Long.BYTES)) {
            return false;
        }
        entries = java.util.Arrays.copyOf(entries, newLen);
        return true;
    }

    static long prefix(byte[] key, int keyLen) {
        long v = 0;
        int n = Math.min(8, keyLen);
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (key[i] & 0xFF);
        }
        return v << (8 * (8 - n));
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean allKeysOrderPreserving() {
        return allKeysOrderPreserving;
    }

    /** The pointer array: two longs per record, see the class comment. Sorted in place by {@link EntrySorter}. */
    long[] entries() {
        return entries;
    }

    static int partitionOf(long meta) {
        return (int) (meta >>> 40);
    }

    byte[] pageOf(long meta) {
        return pages.get((int) ((meta >>> 20) & 0xFFFFF));
    }

    static int offsetOf(long meta) {
        return (int) (meta & 0xFFFFF);
    }

    /** Bytes of pages and pointers held. */
    long memoryBytes() {
        return pageBytes + (long) entries.length * Long.BYTES;
    }

    /**
     * Drops all records and frees the pages and the pointer array. The pointers go too: a task that keeps
     * them after a spill may sit above its fair share of the budget and starve the others.
     */
    void clear() {
        memory.release(pageBytes + (long) entries.length * Long.BYTES);
        pages.clear();
        page = null;
        pagePos = 0;
        pageBytes = 0;
        entries = new long[0];
        count = 0;
        allKeysOrderPreserving = true;
    }

    @Override
    public void close() {
        clear();
    }
}
