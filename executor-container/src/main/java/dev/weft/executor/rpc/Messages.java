package dev.weft.executor.rpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import dev.weft.error.WeftError;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.proto.ErrorResponse;
import dev.weft.executor.proto.LaunchTask;
import dev.weft.executor.proto.StatusUpdate;
import dev.weft.serde.ValueSerializer;
import dev.weft.shuffle.MapStatus;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;

/**
 * Conversions between engine values and protocol messages. Engine objects that are already
 * {@link java.io.Serializable} (outcomes, map statuses) travel Java-serialized inside a bytes field; that is
 * safe here because only authenticated peers of the same application can send frames.
 *
 * <p>Stateless and thread-safe. Deserialization resolves classes through the calling thread's context class
 * loader, as the engine does for tasks.
 */
public final class Messages {
    private Messages() {}

    public static Envelope launchTask(TaskDescription t) {
        return Envelope.newBuilder()
                .setLaunchTask(LaunchTask.newBuilder()
                        .setTaskId(t.taskId())
                        .setStageId(t.stageId())
                        .setStageAttempt(t.stageAttempt())
                        .setPartition(t.partition())
                        .setAttempt(t.attempt())
                        .setSerializedTask(ByteString.copyFrom(t.serializedTask())))
                .build();
    }

    public static TaskDescription taskDescription(LaunchTask m) {
        return new TaskDescription(
                m.getTaskId(),
                m.getStageId(),
                m.getStageAttempt(),
                m.getPartition(),
                m.getAttempt(),
                m.getSerializedTask().toByteArray());
    }

    public static Envelope error(long requestId, ErrorCode code, String message) {
        return Envelope.newBuilder()
                .setErrorResponse(ErrorResponse.newBuilder()
                        .setRequestId(requestId)
                        .setCode(code)
                        .setMessage(message == null ? "" : message))
                .build();
    }

    /** A task's status update: the outcome's bytes as {@link #serializeOutcome} made them, and its code. */
    public static Envelope statusUpdate(long taskId, byte[] outcome, TaskOutcome forCode) {
        return Envelope.newBuilder()
                .setStatusUpdate(StatusUpdate.newBuilder()
                        .setTaskId(taskId)
                        .setOutcome(UnsafeByteOperations.unsafeWrap(outcome))
                        .setErrorCode(errorCode(forCode)))
                .build();
    }

    /** The wire value of the outcome's code: its {@link WeftError#id()}, or 0 for a success. */
    public static int errorCode(TaskOutcome outcome) {
        return outcome instanceof TaskOutcome.Failure f ? f.error().id() : 0;
    }

    public static byte[] serializeOutcome(TaskOutcome outcome) {
        return javaSerialize(outcome);
    }

    /** @throws IOException when the bytes are not a serialized outcome or name a class this JVM lacks */
    public static TaskOutcome deserializeOutcome(byte[] bytes) throws IOException {
        return javaDeserialize(bytes, TaskOutcome.class);
    }

    public static byte[] serializeMapStatuses(MapStatus[] statuses) {
        return javaSerialize(statuses);
    }

    public static MapStatus[] deserializeMapStatuses(byte[] bytes) throws IOException {
        return javaDeserialize(bytes, MapStatus[].class);
    }

    /**
     * @throws UncheckedIOException when something reachable from {@code value} is not serializable
     */
    static byte[] javaSerialize(Object value) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(256);
        try (ObjectOutputStream out = new ObjectOutputStream(bos)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot serialize " + value.getClass().getName() + ": " + e, e);
        }
        return bos.toByteArray();
    }

    private static <T> T javaDeserialize(byte[] bytes, Class<T> type) throws IOException {
        try (ObjectInputStream in = new ValueSerializer.ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
            Object o = in.readObject();
            if (!type.isInstance(o)) {
                throw new IOException("expected a " + type.getSimpleName() + ", got "
                        + (o == null ? "null" : o.getClass().getName()));
            }
            return type.cast(o);
        } catch (ClassNotFoundException e) {
            throw new IOException("class not found: " + e.getMessage(), e);
        }
    }
}
