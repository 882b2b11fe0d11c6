package dev.weft.transport.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.transport.ErrorCode;
import dev.weft.transport.InMemorySecretStore;
import dev.weft.transport.LeakTracking;
import dev.weft.transport.TransportConfig;
import dev.weft.transport.TransportMetrics;
import dev.weft.transport.proto.Envelope;
import dev.weft.transport.protocol.FrameDecoder;
import dev.weft.transport.protocol.FrameEncoder;
import dev.weft.transport.protocol.Protocol;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The server pipeline on an EmbeddedChannel: bad input gets one typed error and a closed channel, never an exception. */
class TestServerPipeline {
    static {
        LeakTracking.install();
    }

    private final TransportMetrics metrics = new TransportMetrics();
    private final TransportConfig config = TransportConfig.fromMap(Map.of(TransportConfig.MAX_FRAME_BYTES, "1024"));

    private EmbeddedChannel channel() {
        EmbeddedChannel channel =
                unchallenged(FrameDecoder.forServer(config.maxFrameBytes()), new ConnectionGate(8, 8));
        Envelope challenge = decode(channel.readOutbound());
        assertTrue(challenge.hasAuthChallenge());
        return channel;
    }

    private EmbeddedChannel unchallenged(FrameDecoder decoder, ConnectionGate gate) {
        return new EmbeddedChannel(
                decoder,
                new FrameEncoder(),
                new ServerConnectionHandler(
                        new InMemorySecretStore(),
                        new BlockOpener(
                                (a, s, m, t) -> {
                                    throw new AssertionError("no fetch expected");
                                },
                                new OpenFileLimits(4, 2, metrics)),
                        Runnable::run,
                        new InFlightBudget(1 << 20),
                        config,
                        metrics,
                        new SecureRandom(),
                        gate));
    }

    private static Envelope decode(ByteBuf frame) {
        EmbeddedChannel decoder = new EmbeddedChannel(FrameDecoder.forClient(1 << 16));
        decoder.writeInbound(frame);
        Envelope envelope = decoder.readInbound();
        decoder.finishAndReleaseAll();
        return envelope;
    }

    private void assertRejected(EmbeddedChannel channel, ErrorCode expected) {
        Envelope error = decode(channel.readOutbound());
        assertTrue(error.hasError(), error.toString());
        assertEquals(expected, Protocol.fromWire(error.getError().getCode()));
        assertFalse(channel.isOpen());
        channel.checkException();
        channel.finishAndReleaseAll();
    }

    @Test
    void oversizedFrame() {
        EmbeddedChannel channel = channel();
        ByteBuf in = Unpooled.buffer().writeInt(1 << 20).writeBytes(new byte[100]);
        channel.writeInbound(in);
        assertEquals(0, in.refCnt());
        assertRejected(channel, ErrorCode.BAD_REQUEST);
        assertEquals(1, metrics.snapshot().protocolErrors());
    }

    @Test
    void undecodableFrame() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.buffer().writeInt(4).writeInt(0xffffffff));
        assertRejected(channel, ErrorCode.BAD_REQUEST);
    }

    @Test
    void unknownMessageType() {
        EmbeddedChannel channel = channel();
        // Field 99 is no message this protocol knows; protobuf keeps it as an unknown field.
        channel.writeInbound(Unpooled.buffer().writeInt(5).writeBytes(new byte[] {8, 1, (byte) 0x98, 6, 0}));
        assertRejected(channel, ErrorCode.BAD_REQUEST);
    }

    @Test
    void unsupportedVersion() {
        EmbeddedChannel channel = channel();
        Envelope future = Protocol.fetch(dev.weft.transport.proto.FetchBlocks.getDefaultInstance()).toBuilder()
                .setProtocolVersion(Protocol.VERSION + 1)
                .build();
        byte[] bytes = future.toByteArray();
        channel.writeInbound(Unpooled.buffer().writeInt(bytes.length).writeBytes(bytes));
        assertRejected(channel, ErrorCode.UNSUPPORTED_VERSION);
    }

    @Test
    void messageInTheWrongDirection() {
        EmbeddedChannel channel = channel();
        byte[] bytes = Protocol.error(0, ErrorCode.INTERNAL, "x", 0).toByteArray();
        channel.writeInbound(Unpooled.buffer().writeInt(bytes.length).writeBytes(bytes));
        assertRejected(channel, ErrorCode.BAD_REQUEST);
    }

    @Test
    void aFrameLargerThanAnAuthResponseIsRefusedBeforeAuthentication() {
        EmbeddedChannel channel =
                unchallenged(FrameDecoder.forAuthenticatingServer(1 << 16, 1024), new ConnectionGate(8, 8));
        assertTrue(decode(channel.readOutbound()).hasAuthChallenge());
        // 2,000 bytes are fine once authenticated (the limit is 64 KiB), not before.
        ByteBuf in = Unpooled.buffer().writeInt(2000).writeBytes(new byte[100]);
        channel.writeInbound(in);
        assertEquals(0, in.refCnt());
        assertRejected(channel, ErrorCode.BAD_REQUEST);
    }

    @Test
    void aConnectionThatDoesNotAuthenticateInTimeIsClosedWhateverItSends() {
        EmbeddedChannel channel = channel();
        channel.freezeTime();
        long timeout = config.authTimeout().toMillis();
        channel.advanceTimeBy(timeout / 2, TimeUnit.MILLISECONDS);
        // A trickle of bytes (half a frame header) does not extend the deadline.
        channel.writeInbound(Unpooled.buffer().writeShort(0));
        channel.runPendingTasks();
        assertTrue(channel.isOpen(), "still within the auth timeout");
        channel.advanceTimeBy(timeout, TimeUnit.MILLISECONDS);
        channel.runPendingTasks();
        assertRejected(channel, ErrorCode.NOT_AUTHENTICATED);
        assertEquals(1, metrics.snapshot().authTimeouts());
    }

    @Test
    void connectionsBeyondTheGateAreClosedWithoutAChallenge() {
        ConnectionGate gate = new ConnectionGate(1, 1);
        EmbeddedChannel first = unchallenged(FrameDecoder.forServer(config.maxFrameBytes()), gate);
        assertTrue(decode(first.readOutbound()).hasAuthChallenge());
        EmbeddedChannel second = unchallenged(FrameDecoder.forServer(config.maxFrameBytes()), gate);
        assertFalse(second.isOpen(), "no place left for an unauthenticated connection");
        Object none = second.readOutbound();
        assertTrue(none == null, "refused without a challenge (no work done for it)");
        assertEquals(1, metrics.snapshot().connectionsRefused());
        first.close();
        assertEquals(0, gate.unauthenticated(), "a closed connection gives its place back");
        EmbeddedChannel third = unchallenged(FrameDecoder.forServer(config.maxFrameBytes()), gate);
        assertTrue(decode(third.readOutbound()).hasAuthChallenge());
        third.finishAndReleaseAll();
        first.finishAndReleaseAll();
        second.finishAndReleaseAll();
    }

    @AfterAll
    static void noLeaks() throws InterruptedException {
        LeakTracking.assertNoLeaks();
    }
}
