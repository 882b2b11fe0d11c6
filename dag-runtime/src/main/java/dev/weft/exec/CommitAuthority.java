package dev.weft.exec;

/**
 * Asks the driver whether a task attempt may commit its output (see
 * {@link dev.weft.scheduler.OutputCommitCoordinator}): exactly one attempt per partition is told yes. Blocks the
 * calling task thread until the driver answers; thread-safe.
 */
@FunctionalInterface
public interface CommitAuthority {
    /**
     * @return whether attempt {@code taskAttemptId} of {@code partition} of stage {@code stageId} may commit
     * @throws IllegalStateException when the driver cannot be asked (the attempt then fails and is retried)
     */
    boolean canCommit(int stageId, int partition, long taskAttemptId);
}
