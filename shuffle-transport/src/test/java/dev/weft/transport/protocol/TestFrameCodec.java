package dev.weft.transport.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.weft.transport.ErrorCode;
import dev.weft.transport.LeakTracking;
import dev.weft.transport.proto.AuthChallenge;
import dev.weft.transport.proto.AuthOk;
import dev.weft.transport.proto.AuthResponse;
import dev.weft.transport.proto.BlockHeader;
import dev.weft.transport.proto.Envelope;
import dev.weft.transport.proto.FetchBlocks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

class TestFrameCodec {
    static {
        LeakTracking.install();
    }

    private static final int MAX_FRAME = 1024;

    static List<Envelope> everyMessage() {
        return List.of(
                Protocol.challenge(AuthChallenge.newBuilder()
                        .setServerNonce(ByteString.copyFrom(new byte[32]))
                        .build()),
                Protocol.authResponse(AuthResponse.newBuilder()
                        .setAppId("app-1")
                        .setMac(ByteString.copyFromUtf8("mac"))
                        .setClientNonce(ByteString.copyFrom(new byte[32]))
                        .build()),
                Protocol.authOk(AuthOk.newBuilder()
                        .setServerMac(ByteString.copyFromUtf8("server-mac"))
                        .build()),
                Protocol.fetch(FetchBlocks.newBuilder()
                        .setRequestId(7)
                        .setAppId("app-1")
                        .setShuffleId(3)
                        .setMapId(4)
                        .setAttemptId(5)
                        .addReduceIds(0)
                        .addReduceIds(9)
                        .build()),
                Protocol.blockHeader(BlockHeader.newBuilder()
                        .setRequestId(7)
                        .setReduceId(9)
                        .setLength(0)
                        .setCrc32C(0xdeadbeef)
                        .build()),
                Protocol.error(7, ErrorCode.BUSY, "busy", 250),
                Protocol.error(0, ErrorCode.AUTH_FAILED, "no", 0));
    }

    /** Encodes through a real encoder and returns the bytes (the encoded buffer is released here). */
    static byte[] encode(Envelope... messages) {
        EmbeddedChannel channel = new EmbeddedChannel(new FrameEncoder());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (Envelope message : messages) {
            assertTrue(channel.writeOutbound(message));
            ByteBuf out = channel.readOutbound();
            byte[] array = new byte[out.readableBytes()];
            out.readBytes(array);
            // Ownership: the encoder's output is ours; released after copying.
            assertTrue(out.release());
            bytes.writeBytes(array);
        }
        assertFalse(channel.finish());
        return bytes.toByteArray();
    }

    @Test
    void everyMessageRoundTrips() {
        for (Envelope message : everyMessage()) {
            EmbeddedChannel channel = new EmbeddedChannel(FrameDecoder.forClient(MAX_FRAME));
            ByteBuf in = Unpooled.wrappedBuffer(encode(message));
            channel.writeInbound(in);
            assertEquals(message, channel.readInbound());
            assertEquals(Protocol.VERSION, message.getProtocolVersion());
            assertEquals(0, in.refCnt());
            assertFalse(channel.finish());
        }
    }

    @Test
    void framesSplitAtRandomPointsDecode() {
        Random random = new Random(42);
        byte[] data = new byte[3000];
        random.nextBytes(data);
        List<Envelope> messages = new ArrayList<>(everyMessage());
        BlockHeader header = BlockHeader.newBuilder()
                .setRequestId(1)
                .setReduceId(2)
                .setLength(data.length)
                .setCrc32C(1)
                .build();
        byte[] header1 = encode(Protocol.blockHeader(header));
        byte[] rest = encode(messages.toArray(new Envelope[0]));
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        stream.writeBytes(header1);
        stream.writeBytes(data);
        stream.writeBytes(rest);
        byte[] all = stream.toByteArray();

        for (int round = 0; round < 50; round++) {
            EmbeddedChannel channel = new EmbeddedChannel(FrameDecoder.forClient(MAX_FRAME));
            List<ByteBuf> pieces = new ArrayList<>();
            int position = 0;
            while (position < all.length) {
                int n = Math.min(all.length - position, 1 + random.nextInt(random.nextBoolean() ? 8 : 700));
                ByteBuf piece = Unpooled.buffer(n).writeBytes(all, position, n);
                pieces.add(piece);
                channel.writeInbound(piece);
                position += n;
            }
            assertEquals(Protocol.blockHeader(header), channel.readInbound());
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            List<Envelope> decoded = new ArrayList<>();
            Object next;
            while ((next = channel.readInbound()) != null) {
                if (next instanceof ByteBuf chunk) {
                    assertTrue(decoded.isEmpty(), "block data after the following frame");
                    byte[] bytes = new byte[chunk.readableBytes()];
                    chunk.readBytes(bytes);
                    body.writeBytes(bytes);
                    // Ownership: the decoder retained the slice for us.
                    chunk.release();
                } else {
                    decoded.add((Envelope) next);
                }
            }
            assertArrayEquals(data, body.toByteArray());
            assertEquals(messages, decoded);
            for (ByteBuf piece : pieces) {
                assertEquals(0, piece.refCnt(), "input piece not released");
            }
            assertFalse(channel.finish());
        }
    }

    @Test
    void oversizedFrameIsRejectedBeforeBuffering() {
        EmbeddedChannel channel = new EmbeddedChannel(FrameDecoder.forServer(MAX_FRAME));
        ByteBuf in = Unpooled.buffer().writeInt(MAX_FRAME + 1).writeBytes(new byte[10]);
        assertThrows(TooLongFrameException.class, () -> channel.writeInbound(in));
        assertEquals(0, in.refCnt());
        assertNull(channel.readInbound());
        channel.finishAndReleaseAll();
    }

    @Test
    void garbageIsRejected() {
        Random random = new Random(7);
        int rejected = 0;
        for (int round = 0; round < 200; round++) {
            EmbeddedChannel channel = new EmbeddedChannel(FrameDecoder.forServer(MAX_FRAME));
            byte[] garbage = new byte[4 + random.nextInt(40)];
            random.nextBytes(garbage);
            // A short, plausible length so the decoder must parse the garbage as protobuf.
            garbage[0] = 0;
            garbage[1] = 0;
            garbage[2] = 0;
            garbage[3] = (byte) (garbage.length - 4);
            ByteBuf in = Unpooled.wrappedBuffer(garbage);
            try {
                channel.writeInbound(in);
                Object decoded = channel.readInbound();
                // Random bytes can form a valid envelope by chance; then it must carry a message.
                if (decoded != null) {
                    assertTrue(((Envelope) decoded).getBodyCase() != Envelope.BodyCase.BODY_NOT_SET);
                }
            } catch (DecoderException e) {
                rejected++;
            }
            assertEquals(0, in.refCnt());
            channel.finishAndReleaseAll();
        }
        assertTrue(rejected > 150, "rejected " + rejected);
    }

    @Test
    void emptyEnvelopeAndNegativeLengthAreRejected() {
        EmbeddedChannel empty = new EmbeddedChannel(FrameDecoder.forServer(MAX_FRAME));
        assertThrows(
                ProtocolViolationException.class,
                () -> empty.writeInbound(Unpooled.buffer().writeInt(0)));
        empty.finishAndReleaseAll();

        EmbeddedChannel negative = new EmbeddedChannel(FrameDecoder.forServer(MAX_FRAME));
        assertThrows(
                DecoderException.class,
                () -> negative.writeInbound(Unpooled.buffer().writeInt(-5).writeInt(0)));
        negative.finishAndReleaseAll();
    }

    @Test
    void serverDecoderRefusesBlockData() {
        EmbeddedChannel channel = new EmbeddedChannel(FrameDecoder.forServer(MAX_FRAME));
        byte[] frame = encode(
                Protocol.blockHeader(BlockHeader.newBuilder().setLength(100).build()));
        assertThrows(ProtocolViolationException.class, () -> channel.writeInbound(Unpooled.wrappedBuffer(frame)));
        channel.finishAndReleaseAll();
    }

    @Test
    void authCodesDependOnEveryInput() {
        byte[] secret = {1, 2, 3};
        byte[] nonce = new byte[32];
        byte[] mac = AuthCodes.clientMac(secret, nonce, false, "app");
        assertTrue(AuthCodes.matches(mac, AuthCodes.clientMac(secret, nonce, false, "app")));
        assertFalse(AuthCodes.matches(mac, AuthCodes.clientMac(new byte[] {1, 2, 4}, nonce, false, "app")));
        assertFalse(AuthCodes.matches(mac, AuthCodes.clientMac(secret, new byte[32 - 1], false, "app")));
        assertFalse(AuthCodes.matches(mac, AuthCodes.clientMac(secret, nonce, false, "app2")));
        assertFalse(AuthCodes.matches(mac, AuthCodes.clientMac(secret, nonce, true, "app")));
        assertFalse(AuthCodes.matches(mac, AuthCodes.serverMac(secret, nonce, nonce)));
    }

    @AfterAll
    static void noLeaks() throws InterruptedException {
        LeakTracking.assertNoLeaks();
    }
}
