package dev.weft.shuffle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.memory.MemoryBudget;
import dev.weft.memory.TaskMemory;
import org.junit.jupiter.api.Test;

/** How the map-side buffer asks its task's fair share for memory. */
class RecordBufferTest {
    private static final byte[] KEY = {1, 2, 3};
    private static final byte[] VALUE = new byte[100];

    @Test
    void takesASmallPageWhenAFullPageExceedsTheTasksShare() {
        MemoryBudget budget = new MemoryBudget(64 * 1024);
        TaskMemory other = budget.forTask(1);
        assertTrue(other.tryAcquire(40 * 1024));
        TaskMemory mine = budget.forTask(2); // with two tasks, mine may hold at most 32 KiB
        try (MemoryReservation memory = new MemoryReservation(mine);
                RecordBuffer buffer = new RecordBuffer(memory, 32 * 1024)) {
            assertTrue(buffer.append(0, KEY, KEY.length, VALUE, VALUE.length, true));
            assertEquals(1, buffer.size());
            long pointers = 2L * 256 * Long.BYTES;
            assertEquals(pointers + RecordBuffer.SMALL_PAGE_SIZE, mine.held(), "pointers and one small page");
        }
        assertEquals(0, mine.held(), "clear and close give everything back");
        assertEquals(40 * 1024, budget.used());
    }

    @Test
    void refusesWhenNotEvenASmallPageFits() {
        MemoryBudget budget = new MemoryBudget(8 * 1024);
        TaskMemory alone = budget.forTask(3);
        try (MemoryReservation memory = new MemoryReservation(alone);
                RecordBuffer buffer = new RecordBuffer(memory, 8 * 1024)) {
            // 4 KiB of pointers are granted; then neither an 8 KiB page nor one just large enough for the
            // 5 KB record fits in the 4 KiB left, so the writer is told to spill (or write the record through).
            assertFalse(buffer.append(0, KEY, KEY.length, new byte[5000], 5000, true));
            assertTrue(buffer.isEmpty());
        }
        assertEquals(0, alone.held());
    }
}
