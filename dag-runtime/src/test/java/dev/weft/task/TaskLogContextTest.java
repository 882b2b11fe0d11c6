package dev.weft.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.weft.api.WeftContext;
import dev.weft.exec.TaskContext;
import java.util.List;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What a task logs names its attempt: the logging context holds it while (and only while) the attempt runs. */
class TaskLogContextTest {

    @Test
    void everyAttemptRunsWithItsNameInTheLoggingContext() {
        List<String> seen;
        try (WeftContext ctx = WeftContext.local()) {
            seen = ctx.parallelize(List.of(1, 2, 3, 4, 5, 6), 3)
                    .mapPartitions(it -> {
                        TaskContext t = TaskContext.get();
                        String expected = "task " + t.taskAttemptId() + " (stage " + t.stageId() + "."
                                + t.stageAttempt() + " partition " + t.partitionId() + " attempt "
                                + t.attemptNumber() + ")";
                        String actual = MDC.get(TaskRunner.LOG_KEY);
                        return List.of(expected.equals(actual) ? "ok " + t.partitionId() : "got " + actual)
                                .iterator();
                    })
                    .collect();
        }
        assertEquals(new TreeSet<>(List.of("ok 0", "ok 1", "ok 2")), new TreeSet<>(seen));
        assertNull(MDC.get(TaskRunner.LOG_KEY), "the driver's thread has no attempt");
    }
}
