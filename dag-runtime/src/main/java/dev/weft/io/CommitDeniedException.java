package dev.weft.io;

import dev.weft.task.TaskKilledException;

/**
 * The driver told this attempt not to commit its output (another attempt of the partition commits it, or the job
 * already ended). The attempt did nothing wrong: it ends as killed, which is neither counted nor reported as a
 * failure.
 */
public final class CommitDeniedException extends TaskKilledException {
    public CommitDeniedException(String message) {
        super("commit denied: " + message);
    }
}
