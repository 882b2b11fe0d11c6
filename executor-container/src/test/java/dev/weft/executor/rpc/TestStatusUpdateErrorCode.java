package dev.weft.executor.rpc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.weft.error.WeftError;
import dev.weft.executor.proto.Envelope;
import dev.weft.metrics.TaskMetrics;
import dev.weft.task.TaskOutcome;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The failure's code travels in its own protobuf field and agrees with the outcome it came with. */
class TestStatusUpdateErrorCode {
    @Test
    void everyKindOfOutcomeCarriesItsCodeOnTheWire() throws Exception {
        TaskMetrics m = new TaskMetrics();
        Map<TaskOutcome, Integer> expectedIds = Map.of(
                new TaskOutcome.Success(new byte[] {0}, Map.of(), m), 0,
                new TaskOutcome.ExceptionFailure(WeftError.USER_CODE_FAILED, "java.lang.X", "boom", "", null, m), 100,
                new TaskOutcome.ExceptionFailure(WeftError.RESULT_TOO_LARGE, null, "too large", "", null, m), 102,
                new TaskOutcome.FetchFailure(WeftError.SHUFFLE_BLOCK_CORRUPT, 1, 2, 7L, 3, "e1@h1", "checksum", m), 401,
                new TaskOutcome.Killed("stop", m), 201,
                new TaskOutcome.ExecutorLost(WeftError.CONTAINER_KILLED_FOR_MEMORY, "e1", "pmem", m), 301);
        for (Map.Entry<TaskOutcome, Integer> e : expectedIds.entrySet()) {
            TaskOutcome sent = e.getKey();
            Envelope wire = Envelope.parseFrom(Messages.statusUpdate(7, Messages.serializeOutcome(sent), sent)
                    .toByteArray());
            assertEquals(7, wire.getStatusUpdate().getTaskId());
            int code = wire.getStatusUpdate().getErrorCode();
            assertEquals((int) e.getValue(), code, sent.toString());
            TaskOutcome received = Messages.deserializeOutcome(
                    wire.getStatusUpdate().getOutcome().toByteArray());
            assertEquals(code, Messages.errorCode(received), "the field and the outcome agree");
        }
    }

    @Test
    void outcomeRecordsRefuseCodesOfAnotherKind() {
        TaskMetrics m = new TaskMetrics();
        for (Runnable r : List.<Runnable>of(
                () -> new TaskOutcome.ExceptionFailure(WeftError.FETCH_FAILED, "X", "m", "", null, m),
                () -> new TaskOutcome.ExceptionFailure(WeftError.EXECUTOR_LOST, "X", "m", "", null, m),
                () -> new TaskOutcome.FetchFailure(WeftError.USER_CODE_FAILED, 1, 2, 7L, 3, "l", "m", m),
                () -> new TaskOutcome.ExecutorLost(WeftError.FETCH_FAILED, "e1", "r", m))) {
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, r::run);
        }
    }
}
