package dev.weft.executor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.error.WeftError;
import dev.weft.metrics.TaskMetrics;
import dev.weft.task.TaskOutcome;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.metrics2.AbstractMetric;
import org.apache.hadoop.metrics2.MetricsRecord;
import org.apache.hadoop.metrics2.impl.MetricsCollectorImpl;
import org.junit.jupiter.api.Test;

class ExecutorMetricsTest {

    @Test
    void endedAttemptsAreCountedByHowTheyEndedWithTheirCounters() {
        AtomicInteger running = new AtomicInteger(3);
        ExecutorMetrics metrics = new ExecutorMetrics(running::get, 1000, () -> 250);
        TaskMetrics a = new TaskMetrics();
        a.shuffleBytesWritten = 100;
        a.shuffleBytesRead = 40;
        a.shuffleBytesReadRemote = 30;
        a.gcMillis = 7;
        TaskMetrics b = new TaskMetrics();
        b.spillBytes = 9;
        b.shuffleBytesRead = 5;
        metrics.taskEnded(new TaskOutcome.Success(new byte[0], Map.of(), a, List.of()));
        metrics.taskEnded(new TaskOutcome.ExceptionFailure(WeftError.USER_CODE_FAILED, "X", "boom", "", null, b));
        metrics.taskEnded(new TaskOutcome.Killed("stage cancelled", new TaskMetrics()));
        running.set(1);

        Map<String, Number> m = collect(metrics);
        assertEquals(1, m.get("RunningTasks"));
        assertEquals(1L, m.get("TasksSucceeded"));
        assertEquals(1L, m.get("TasksFailed"));
        assertEquals(1L, m.get("TasksKilled"));
        assertEquals(1000L, m.get("MemoryBudgetBytes"));
        assertEquals(250L, m.get("MemoryUsedBytes"));
        assertEquals(100L, m.get("ShuffleBytesWritten"));
        assertEquals(45L, m.get("ShuffleBytesRead"));
        assertEquals(30L, m.get("ShuffleBytesReadRemote"));
        assertEquals(9L, m.get("SpillBytes"));
        assertEquals(7L, m.get("TaskGcMillis"));
    }

    private static Map<String, Number> collect(ExecutorMetrics source) {
        MetricsCollectorImpl collector = new MetricsCollectorImpl();
        source.getMetrics(collector, true);
        Map<String, Number> values = new HashMap<>();
        for (MetricsRecord r : collector.getRecords()) {
            for (AbstractMetric metric : r.metrics()) {
                values.put(metric.name(), metric.value());
            }
        }
        return values;
    }
}
