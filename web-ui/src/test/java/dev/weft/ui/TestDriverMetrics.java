package dev.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.metrics2.AbstractMetric;
import org.apache.hadoop.metrics2.MetricsRecord;
import org.apache.hadoop.metrics2.impl.MetricsCollectorImpl;
import org.junit.jupiter.api.Test;

class TestDriverMetrics {

    @Test
    void theSourceReportsWhatTheEventsSay() {
        StatusStore store = new StatusStore();
        List<WeftEvent> events = new ArrayList<>();
        RecordedJob.run(store, events::add);
        Map<String, Number> m = collect(new DriverMetrics(store));

        List<WeftEvent.TaskStateChanged> ended = events.stream()
                .filter(e -> e instanceof WeftEvent.TaskStateChanged t && t.from() != null)
                .map(e -> (WeftEvent.TaskStateChanged) e)
                .toList();
        assertEquals(
                ended.stream().filter(t -> t.to() == TaskState.SUCCEEDED).count(),
                m.get("TasksSucceeded").longValue());
        assertEquals(
                ended.stream().filter(t -> t.to() == TaskState.FAILED).count(),
                m.get("TasksFailed").longValue());
        assertEquals(
                ended.stream()
                        .filter(t -> t.to() == TaskState.SUCCEEDED)
                        .mapToLong(t -> t.metrics().shuffleBytesWritten)
                        .sum(),
                m.get("ShuffleBytesWritten").longValue());
        assertEquals(1L, m.get("JobsSucceeded").longValue());
        assertEquals(0L, m.get("ActiveJobs").longValue());
        assertEquals(0L, m.get("RunningTasks").longValue());
    }

    static Map<String, Number> collect(org.apache.hadoop.metrics2.MetricsSource source) {
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
