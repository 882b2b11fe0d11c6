package dev.weft.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The fair share among tasks, with real threads. Waiting is observed through {@link MemoryBudget#waitingTasks}
 * (the waiter is parked inside the budget before the test goes on), never with sleeps; every test has a
 * timeout so that a deadlock fails it instead of hanging the build.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class MemoryBudgetTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    /** Spins (no sleep) until {@code n} tasks are parked waiting inside {@code budget}. */
    private static void awaitWaiters(MemoryBudget budget, int n) {
        while (budget.waitingTasks() < n) {
            Thread.onSpinWait();
        }
    }

    private Future<Boolean> acquireAsync(TaskMemory task, long bytes) {
        return threads.submit(() -> task.tryAcquire(bytes));
    }

    @Test
    void aLoneTaskMayUseTheWholeBudgetAndNoMore() {
        MemoryBudget budget = new MemoryBudget(1000);
        TaskMemory a = budget.forTask(1);
        assertTrue(a.tryAcquire(1000));
        assertFalse(a.tryAcquire(1), "refused at once, never waits: nobody else could release");
        assertEquals(1000, budget.used());
        a.close();
        assertEquals(0, budget.used());
        assertEquals(0, budget.activeTasks());
    }

    @Test
    void aTaskBelowItsGuaranteedShareWaitsUntilAnotherReleasesThenGetsMemory() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000);
        TaskMemory a = budget.forTask(1);
        TaskMemory b = budget.forTask(2);
        assertTrue(a.tryAcquire(1000));

        Future<Boolean> bAsks = acquireAsync(b, 100); // N = 2: b is guaranteed 250 and holds 0
        awaitWaiters(budget, 1);
        assertFalse(bAsks.isDone());
        assertEquals(2, budget.activeTasks());

        assertFalse(a.tryAcquire(1), "a holds more than 1/N and is refused (so it would spill)");
        a.release(600); // a spills
        assertTrue(bAsks.get());
        assertEquals(100, b.held());
        assertEquals(400, a.held());
        assertEquals(0, budget.waitingTasks());
    }

    @Test
    void aTaskAboveOneNthIsRefused() {
        MemoryBudget budget = new MemoryBudget(1000);
        TaskMemory a = budget.forTask(1);
        TaskMemory b = budget.forTask(2);
        assertTrue(a.tryAcquire(600)); // alone: may hold everything
        assertTrue(b.tryAcquire(100)); // N = 2: shares are 250 .. 500, and 300 bytes are free
        assertFalse(a.tryAcquire(1), "600 > 1000/2");
        assertFalse(b.tryAcquire(401), "would take b over 1000/2");
        assertTrue(b.tryAcquire(300), "up to the cap, while free");
        assertEquals(0, budget.waitingTasks());
    }

    @Test
    void aTaskAtItsGuaranteedShareIsRefusedRatherThanMadeToWait() {
        MemoryBudget budget = new MemoryBudget(1000);
        TaskMemory a = budget.forTask(1);
        TaskMemory b = budget.forTask(2);
        assertTrue(a.tryAcquire(700));
        assertTrue(b.tryAcquire(250)); // exactly 1/(2N)
        assertFalse(b.tryAcquire(100), "only 50 free and b has its guaranteed share: it spills");
        assertEquals(0, budget.waitingTasks());
        assertEquals(250, b.held());
    }

    @Test
    void releaseWakesEveryWaiter() throws Exception {
        MemoryBudget budget = new MemoryBudget(900);
        TaskMemory a = budget.forTask(1);
        assertTrue(a.tryAcquire(900));
        Future<Boolean> b = acquireAsync(budget.forTask(2), 100);
        Future<Boolean> c = acquireAsync(budget.forTask(3), 100);
        awaitWaiters(budget, 2); // N = 3: each is guaranteed 150
        a.release(300);
        assertTrue(b.get());
        assertTrue(c.get());
        assertEquals(800, budget.executionUsed());
    }

    @Test
    void aTaskEndingWakesWaiters() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000);
        TaskMemory a = budget.forTask(1);
        assertTrue(a.tryAcquire(1000));
        Future<Boolean> b = acquireAsync(budget.forTask(2), 400);
        awaitWaiters(budget, 1);
        a.close();
        assertTrue(b.get());
        assertEquals(1, budget.activeTasks(), "the ended task no longer counts");
    }

    @Test
    void aWaiterThatIsNoLongerEntitledWhenTheTaskCountGrowsIsRefused() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000);
        TaskMemory a = budget.forTask(1);
        TaskMemory b = budget.forTask(2);
        assertTrue(a.tryAcquire(800));
        assertTrue(b.tryAcquire(200)); // below b's guarantee of 1000 / 4 = 250
        Future<Boolean> bAsks = acquireAsync(b, 40);
        awaitWaiters(budget, 1);
        // A third task arrives: b's guarantee drops to 1000 / 6 = 166 < 200, so b spills instead of waiting.
        Future<Boolean> cAsks = acquireAsync(budget.forTask(3), 100);
        assertFalse(bAsks.get(), "b already holds its new guarantee");
        awaitWaiters(budget, 1); // c, below its guarantee, waits for a (800 > 1000 / 3)
        a.release(800);
        assertTrue(cAsks.get());
    }

    @Test
    void anInterruptedWaiterIsRefusedAndKeepsItsInterruptStatus() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000);
        assertTrue(budget.forTask(1).tryAcquire(1000));
        TaskMemory b = budget.forTask(2);
        CompletableFuture<Boolean> interrupted = new CompletableFuture<>();
        Future<Boolean> bAsks = threads.submit(() -> {
            boolean granted = b.tryAcquire(10);
            interrupted.complete(Thread.currentThread().isInterrupted());
            return granted;
        });
        awaitWaiters(budget, 1);
        bAsks.cancel(true);
        assertTrue(interrupted.get());
        assertEquals(0, b.held());
        assertEquals(1, budget.activeTasks(), "a refused task holding nothing does not count");
    }

    @Test
    void cachedBlocksAreCappedAndNeverWaitedFor() throws Exception {
        MemoryBudget budget = new MemoryBudget(1000);
        assertFalse(budget.tryAcquireStorage(501), "storage may hold at most half");
        assertTrue(budget.tryAcquireStorage(400));
        TaskMemory a = budget.forTask(1);
        assertFalse(a.tryAcquire(601), "the tasks' pool is what storage leaves; a lone task is refused, not parked");
        assertTrue(a.tryAcquire(600));
        assertFalse(budget.tryAcquireStorage(1), "storage takes only free memory, never a task's");
        a.release(300);
        TaskMemory b = budget.forTask(2);
        assertTrue(b.tryAcquire(300));

        // Both tasks hold their 1/N of the 600 storage leaves them; the rest is cached. Nobody waits for it.
        assertFalse(a.tryAcquire(1));
        assertFalse(b.tryAcquire(1));
        assertEquals(0, budget.waitingTasks());

        // A third task is below its guarantee and waits (a and b hold more than 1/3 of 600 and must spill);
        // the cache giving memory back wakes it too.
        Future<Boolean> c = acquireAsync(budget.forTask(3), 100);
        awaitWaiters(budget, 1);
        budget.releaseStorage(400);
        assertTrue(c.get());
        assertEquals(700, budget.used());
    }

    @Test
    void noDeadlockWhenAllTasksWantMore() throws Exception {
        long capacity = 64 * 1024;
        MemoryBudget budget = new MemoryBudget(capacity);
        int tasks = 6;
        CyclicBarrier start = new CyclicBarrier(tasks);
        AtomicLong grants = new AtomicLong();
        AtomicLong spills = new AtomicLong();
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            TaskMemory memory = budget.forTask(t);
            Random rnd = new Random(t);
            running.add(threads.submit(() -> {
                start.await();
                // Every task keeps asking for more; when refused it "spills" everything it holds, as writers do.
                for (int i = 0; i < 20_000; i++) {
                    if (memory.tryAcquire(1 + rnd.nextInt(4096))) {
                        grants.incrementAndGet();
                    } else {
                        spills.incrementAndGet();
                        memory.release(memory.held());
                    }
                    assertTrue(budget.used() <= capacity);
                }
                memory.close();
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        assertEquals(0, budget.used());
        assertEquals(0, budget.activeTasks());
        assertTrue(spills.get() > 0, "tasks competed for memory");
        assertTrue(budget.peak() <= capacity);
        assertTrue(grants.get() > spills.get());
    }

    @Test
    void badCountsAreNamed() {
        MemoryBudget budget = new MemoryBudget(100);
        TaskMemory a = budget.forTask(1);
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class, () -> a.tryAcquire(-1));
        assertTrue(negative.getMessage().contains("bytes must be >= 0: -1"), negative.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.release(-1));
        assertThrows(IllegalArgumentException.class, () -> budget.tryAcquireStorage(-5));
        assertThrows(IllegalArgumentException.class, () -> budget.forTask(-1));
        assertThrows(IllegalArgumentException.class, () -> new MemoryBudget(0));
        assertTrue(a.tryAcquire(10));
        IllegalStateException tooMuch = assertThrows(IllegalStateException.class, () -> a.release(11));
        assertTrue(tooMuch.getMessage().contains("holds only 10"), tooMuch.getMessage());
        assertThrows(IllegalStateException.class, () -> budget.releaseStorage(1));
    }
}
