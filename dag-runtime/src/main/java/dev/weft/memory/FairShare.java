package dev.weft.memory;

/**
 * The rule that shares an executor's execution memory among its running tasks, as a pure function of one
 * moment's figures. With {@code N} tasks holding or asking memory and an execution pool of {@code P}
 * bytes:
 * <ul>
 *   <li>no task may hold more than {@code P / N}: a request beyond it is refused, so a task that grew
 *       while it ran alone spills once others arrive;</li>
 *   <li>a request within that cap that fits in the free memory is granted;</li>
 *   <li>a task below {@code P / (2N)} whose request is within the cap but does not fit waits: some other
 *       task then holds more than {@code P / N} (see {@link #decide}) and gives memory back when it is next
 *       refused and spills, or when it ends;</li>
 *   <li>any other request that does not fit is refused, and the asker spills.</li>
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
final class FairShare {
    /** What to do with one request. */
    enum Decision {
        GRANT,
        WAIT,
        REFUSE
    }

    private FairShare() {}

    /**
     * Decides one all-or-nothing request.
     *
     * <p>Why waiting cannot deadlock: a waiter holds {@code h < P/(2N)} and asks {@code b} with
     * {@code h + b <= P/N} and {@code b > free}. The other {@code N - 1} tasks then hold
     * {@code P - free - h > P - P/N}, so one of them holds more than {@code P/N}. That task is not waiting
     * (waiters hold less than {@code P/(2N)}), so it is running; it is refused on its next request and
     * spills, or it ends, and either way releases memory and wakes the waiter, which decides again.
     *
     * @param pool  bytes tasks may share now (the budget less what cached blocks hold)
     * @param tasks tasks holding or asking memory, the asker included
     * @param held  bytes the asker holds
     * @param free  bytes of the pool nobody holds
     * @param bytes bytes asked for
     */
    static Decision decide(long pool, int tasks, long held, long free, long bytes) {
        if (pool < 0 || held < 0 || free < 0 || bytes < 0) {
            throw new IllegalArgumentException(
                    "negative figure: pool=" + pool + " held=" + held + " free=" + free + " bytes=" + bytes);
        }
        if (tasks < 1) {
            throw new IllegalArgumentException("tasks must be >= 1 (the asker counts): " + tasks);
        }
        long maxShare = pool / tasks;
        long minShare = pool / (2L * tasks);
        boolean withinCap = bytes <= maxShare - held;
        if (withinCap && bytes <= free) {
            return Decision.GRANT;
        }
        if (withinCap && held < minShare) {
            return Decision.WAIT;
        }
        return Decision.REFUSE;
    }
}
