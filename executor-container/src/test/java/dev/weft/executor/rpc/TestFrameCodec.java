package dev.weft.executor.rpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.executor.proto.AuthChallenge;
import dev.weft.executor.proto.AuthResponse;
import dev.weft.executor.proto.AuthResult;
import dev.weft.executor.proto.BroadcastResponse;
import dev.weft.executor.proto.Envelope;
import dev.weft.executor.proto.ErrorCode;
import dev.weft.executor.proto.GetBroadcast;
import dev.weft.executor.proto.GetMapStatuses;
import dev.weft.executor.proto.Heartbeat;
import dev.weft.executor.proto.KillTask;
import dev.weft.executor.proto.MapStatusesResponse;
import dev.weft.executor.proto.RegisterExecutor;
import dev.weft.executor.proto.RegisteredAck;
import dev.weft.executor.proto.Shutdown;
import dev.weft.executor.proto.StatusUpdate;
import dev.weft.metrics.TaskMetrics;
import dev.weft.shuffle.BlockLocation;
import dev.weft.shuffle.MapStatus;
import dev.weft.task.TaskDescription;
import dev.weft.task.TaskOutcome;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

class TestFrameCodec {
    private static final int MAX_FRAME = 4096;

    private final LongAdder frameErrors = new LongAdder();

    private EmbeddedChannel channel() {
        EmbeddedChannel ch = new EmbeddedChannel();
        FrameCodec.install(ch.pipeline(), MAX_FRAME);
        ch.pipeline().addLast(new ProtocolErrorHandler("test", frameErrors));
        return ch;
    }

    static List<Envelope> everyMessage() {
        ByteString nonce = ByteString.copyFrom(new byte[32]);
        return List.of(
                Envelope.newBuilder()
                        .setAuthChallenge(
                                AuthChallenge.newBuilder().setProtocolVersion(1).setServerNonce(nonce))
                        .build(),
                Envelope.newBuilder()
                        .setAuthResponse(AuthResponse.newBuilder()
                                .setProtocolVersion(1)
                                .setClientNonce(nonce)
                                .setClientProof(ByteString.copyFromUtf8("proof")))
                        .build(),
                Envelope.newBuilder()
                        .setAuthResult(AuthResult.newBuilder().setOk(false).setError(ErrorCode.AUTH_FAILED))
                        .build(),
                Envelope.newBuilder()
                        .setRegisterExecutor(RegisterExecutor.newBuilder()
                                .setProtocolVersion(1)
                                .setExecutorId("exec-1")
                                .setHost("h1")
                                .setCores(4)
                                .setContainerId("container_1_0001_01_000002")
                                .setShuffleHost("h1")
                                .setShufflePort(-1)
                                .setAppId("application_1_0001"))
                        .build(),
                Envelope.newBuilder()
                        .setRegisteredAck(RegisteredAck.newBuilder().setHeartbeatIntervalMs(10_000))
                        .build(),
                Messages.launchTask(new TaskDescription(42, 3, 1, 7, 2, new byte[] {1, 2, 3})),
                Envelope.newBuilder()
                        .setStatusUpdate(StatusUpdate.newBuilder()
                                .setTaskId(42)
                                .setOutcome(ByteString.copyFrom(
                                        Messages.serializeOutcome(new TaskOutcome.Killed("stop", new TaskMetrics())))))
                        .build(),
                Envelope.newBuilder()
                        .setHeartbeat(Heartbeat.newBuilder()
                                .setExecutorId("exec-1")
                                .addRunningTaskIds(1)
                                .addRunningTaskIds(5)
                                .setMemoryUsedBytes(1 << 20))
                        .build(),
                Envelope.newBuilder()
                        .setKillTask(KillTask.newBuilder().setTaskId(42).setReason("job cancelled"))
                        .build(),
                Envelope.newBuilder()
                        .setShutdown(Shutdown.newBuilder().setReason("done"))
                        .build(),
                Envelope.newBuilder()
                        .setGetMapStatuses(
                                GetMapStatuses.newBuilder().setRequestId(9).setShuffleId(2))
                        .build(),
                Envelope.newBuilder()
                        .setMapStatusesResponse(MapStatusesResponse.newBuilder()
                                .setRequestId(9)
                                .setStatuses(ByteString.copyFromUtf8("x")))
                        .build(),
                Envelope.newBuilder()
                        .setGetBroadcast(
                                GetBroadcast.newBuilder().setRequestId(10).setBroadcastId(77))
                        .build(),
                Envelope.newBuilder()
                        .setBroadcastResponse(
                                BroadcastResponse.newBuilder().setRequestId(10).setValue(ByteString.copyFromUtf8("v")))
                        .build(),
                Messages.error(11, ErrorCode.UNKNOWN_BROADCAST, "gone"),
                Envelope.newBuilder()
                        .setUpdateCredentials(dev.weft.executor.proto.UpdateCredentials.newBuilder()
                                .setTokens(ByteString.copyFrom(new byte[] {0, 1, 2})))
                        .build(),
                Envelope.newBuilder()
                        .setAskCommit(dev.weft.executor.proto.AskCommit.newBuilder()
                                .setRequestId(12)
                                .setStageId(3)
                                .setPartition(4)
                                .setTaskId(99))
                        .build(),
                Envelope.newBuilder()
                        .setCommitDecision(dev.weft.executor.proto.CommitDecision.newBuilder()
                                .setRequestId(12)
                                .setReason("DENIED_OTHER_ATTEMPT"))
                        .build(),
                Envelope.newBuilder()
                        .setRemoveDataset(dev.weft.executor.proto.RemoveDataset.newBuilder()
                                .setNodeId(5))
                        .build(),
                Envelope.newBuilder()
                        .setRemoveShuffle(dev.weft.executor.proto.RemoveShuffle.newBuilder()
                                .setShuffleId(6))
                        .build());
    }

    @Test
    void everyMessageRoundTripsInRandomPieces() {
        List<Envelope> messages = everyMessage();
        assertEquals(Envelope.BodyCase.values().length - 1, messages.size(), "one sample per message type");
        EmbeddedChannel sender = channel();
        for (Envelope m : messages) {
            assertTrue(sender.writeOutbound(m));
        }
        ByteBuf wire = Unpooled.buffer();
        for (ByteBuf b; (b = sender.readOutbound()) != null; ) {
            wire.writeBytes(b);
            b.release();
        }
        EmbeddedChannel receiver = channel();
        Random random = new Random(7);
        while (wire.isReadable()) {
            receiver.writeInbound(wire.readRetainedSlice(Math.min(wire.readableBytes(), 1 + random.nextInt(40))));
        }
        wire.release();
        List<Envelope> received = new ArrayList<>();
        for (Envelope e; (e = receiver.readInbound()) != null; ) {
            received.add(e);
        }
        assertEquals(messages, received);
        assertTrue(receiver.isActive());
        assertEquals(0, frameErrors.sum());
        assertFalse(receiver.finishAndReleaseAll());
    }

    @Test
    void taskDescriptionAndOutcomesSurviveConversion() throws Exception {
        TaskDescription desc = new TaskDescription(5, 6, 7, 8, 9, new byte[] {9, 8, 7});
        TaskDescription back =
                Messages.taskDescription(Messages.launchTask(desc).getLaunchTask());
        assertEquals(
                List.of(5L, 6, 7, 8, 9),
                List.of(back.taskId(), back.stageId(), back.stageAttempt(), back.partition(), back.attempt()));
        assertArrayEquals(desc.serializedTask(), back.serializedTask());

        TaskOutcome.Success s = new TaskOutcome.Success(new byte[] {1}, Map.of(3L, 4L), new TaskMetrics());
        TaskOutcome.Success sBack = (TaskOutcome.Success) Messages.deserializeOutcome(Messages.serializeOutcome(s));
        assertArrayEquals(new byte[] {1}, sBack.value());
        assertEquals(Map.of(3L, 4L), sBack.accumulators());

        MapStatus m = MapStatus.of(1, 0, 99, new BlockLocation("exec-1", "h1", -1), new long[] {0, 10});
        MapStatus[] statuses =
                Messages.deserializeMapStatuses(Messages.serializeMapStatuses(new MapStatus[] {null, m}));
        assertNull(statuses[0]);
        assertEquals(m.location(), statuses[1].location());
        assertEquals(m, statuses[1]);
        assertEquals(m.estimatedLength(1), statuses[1].estimatedLength(1));
        assertTrue(statuses[1].isEmpty(0));
    }

    @Test
    void garbageFrameClosesTheConnectionWithOneError() {
        EmbeddedChannel ch = channel();
        ByteBuf frame = Unpooled.buffer();
        frame.writeInt(8).writeLong(0xFFFF_FFFF_FFFF_FFFFL); // not a protobuf message
        frame.writeInt(8).writeLong(0xFFFF_FFFF_FFFF_FFFFL); // a second bad frame in the same read
        ch.writeInbound(frame);
        assertFalse(ch.isOpen());
        assertEquals(1, frameErrors.sum());
        assertNull(ch.readInbound());
        assertEquals(0, frame.refCnt(), "the decoder released the input");
        ch.finishAndReleaseAll();
    }

    @Test
    void frameWithoutKnownMessageIsRefused() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.buffer().writeInt(0)); // an empty frame parses as an Envelope with no body
        assertFalse(ch.isOpen());
        assertEquals(1, frameErrors.sum());
        ch.finishAndReleaseAll();
    }

    @Test
    void oversizedLengthIsRefusedBeforeItsBytesArrive() {
        EmbeddedChannel ch = channel();
        ByteBuf header = Unpooled.buffer().writeInt(MAX_FRAME + 1);
        ch.writeInbound(header);
        assertFalse(ch.isOpen(), "failFast: the length alone closes the connection");
        assertEquals(1, frameErrors.sum());
        assertEquals(0, header.refCnt());
        ch.finishAndReleaseAll();
    }

    @Test
    void aServerAcceptsOnlySmallFramesUntilThePeerAuthenticated() {
        Envelope task = Messages.launchTask(new TaskDescription(1, 0, 0, 0, 0, new byte[2000]));
        EmbeddedChannel sender = channel();
        assertTrue(sender.writeOutbound(task));
        ByteBuf wire = sender.readOutbound();

        EmbeddedChannel before = new EmbeddedChannel();
        FrameCodec.install(before.pipeline(), MAX_FRAME, 1024);
        before.pipeline().addLast(new ProtocolErrorHandler("test", frameErrors));
        before.writeInbound(wire.retainedDuplicate());
        assertFalse(before.isOpen(), "2,000 bytes before authentication close the connection");
        assertEquals(1, frameErrors.sum());

        EmbeddedChannel after = new EmbeddedChannel();
        FrameCodec.install(after.pipeline(), MAX_FRAME, 1024);
        after.pipeline().addLast(new ProtocolErrorHandler("test", frameErrors));
        FrameCodec.authenticated(after.pipeline());
        after.writeInbound(wire);
        assertEquals(task, after.readInbound(), "the same frame once authenticated");
        assertEquals(1, frameErrors.sum());
        before.finishAndReleaseAll();
        after.finishAndReleaseAll();
        sender.finishAndReleaseAll();
    }

    @Test
    void negativeLengthIsRefused() {
        EmbeddedChannel ch = channel();
        ch.writeInbound(Unpooled.buffer().writeInt(-5).writeLong(1));
        assertFalse(ch.isOpen());
        assertEquals(1, frameErrors.sum());
        ch.finishAndReleaseAll();
    }

    @Test
    void frameOfExactlyTheMaximumIsAccepted() {
        EmbeddedChannel sender = channel();
        int n = MAX_FRAME;
        Envelope big;
        do { // shrink the payload until envelope overhead (varint lengths) is accounted for
            big = Messages.launchTask(new TaskDescription(1, 0, 0, 0, 0, new byte[n--]));
        } while (big.getSerializedSize() > MAX_FRAME);
        assertEquals(MAX_FRAME, big.getSerializedSize());
        assertTrue(sender.writeOutbound(big));
        ByteBuf wire = sender.readOutbound();
        EmbeddedChannel receiver = channel();
        receiver.writeInbound(wire);
        assertEquals(big, receiver.readInbound());
        assertEquals(0, frameErrors.sum());
        receiver.finishAndReleaseAll();
        sender.finishAndReleaseAll();
    }

    @Test
    void oversizedOutgoingMessageFailsItsWriteAndKeepsTheConnection() {
        EmbeddedChannel ch = channel();
        ChannelFuture f =
                ch.writeAndFlush(Messages.launchTask(new TaskDescription(1, 0, 0, 0, 0, new byte[MAX_FRAME])));
        assertFalse(f.isSuccess());
        assertInstanceOf(FrameCodec.FrameTooLargeException.class, f.cause());
        assertNull(ch.readOutbound());
        assertTrue(ch.isOpen());
        assertTrue(ch.writeOutbound(everyMessage().get(0)), "later messages still go out");
        ch.finishAndReleaseAll();
    }
}
