package dev.weft.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.error.WeftError;
import dev.weft.exec.ExecutorEnv;
import dev.weft.exec.TaskContext;
import dev.weft.memory.MemoryBudget;
import dev.weft.shuffle.FetchFailedException;
import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An attempt asked to stop ends as killed whatever it throws on the way out, so that the loser of a speculative race
 * (or a task of a cancelled stage) counts neither against its attempts, nor towards excluding its executor, nor as a
 * lost map output; an attempt nobody asked to stop keeps the failure it threw.
 */
class KilledTaskOutcomeTest {
    @TempDir
    Path dir;

    private TaskContext context() {
        ExecutorEnv env = ExecutorEnv.inProcess(
                "e1",
                "localhost",
                new MemoryBudget(1 << 20),
                dir,
                id -> null,
                shuffle -> null,
                new Configuration(false),
                (stage, partition, attempt) -> true);
        return new TaskContext(1, 0, 0, 0, 7L, env);
    }

    @Test
    void whatAKilledAttemptThrowsMakesItKilled() {
        for (Throwable t : new Throwable[] {
            new IllegalStateException("killed while waiting for the release marker"),
            new IOException("Closed by interrupt"),
            new FetchFailedException(0, 1, 2L, 0, "h:1", "interrupted", new InterruptedException()),
        }) {
            TaskContext ctx = context();
            ctx.kill();
            TaskOutcome o = TaskRunner.failure(t, ctx);
            TaskOutcome.Killed k = assertInstanceOf(TaskOutcome.Killed.class, o, t.toString());
            assertTrue(k.reason().contains(t.getClass().getSimpleName()), k.reason());
        }
    }

    @Test
    void anAttemptNobodyKilledKeepsItsFailure() {
        TaskOutcome user = TaskRunner.failure(new IllegalStateException("boom"), context());
        assertEquals(WeftError.USER_CODE_FAILED, ((TaskOutcome.Failure) user).error());
        TaskOutcome fetch =
                TaskRunner.failure(new FetchFailedException(0, 1, 2L, 0, "h:1", "no such file", null), context());
        assertEquals(WeftError.FETCH_FAILED, ((TaskOutcome.Failure) fetch).error());
    }
}
