package dev.weft.transport.seal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.transport.ByteSearch;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Sealer and opener on EmbeddedChannels, bytes carried between them by hand so that tests can tamper with them. */
class TestSealedChannel {
    private static final byte[] KEY = new byte[32];
    private static final byte[] CLIENT_NONCE = nonce(1);
    private static final byte[] SERVER_NONCE = nonce(2);

    private static byte[] nonce(int seed) {
        byte[] n = new byte[32];
        new Random(seed).nextBytes(n);
        return n;
    }

    /** A client channel (sealing) and a server channel (opening), both past the handshake. */
    private static EmbeddedChannel[] sealedPair() {
        EmbeddedChannel client = new EmbeddedChannel();
        SealedChannel.install(client.pipeline(), 1024);
        SealedChannel.seal(client.pipeline(), ChannelKeys.forClient(KEY, "test", CLIENT_NONCE, SERVER_NONCE));
        EmbeddedChannel server = new EmbeddedChannel();
        SealedChannel.install(server.pipeline(), 1024);
        SealedChannel.seal(server.pipeline(), ChannelKeys.forServer(KEY, "test", CLIENT_NONCE, SERVER_NONCE));
        return new EmbeddedChannel[] {client, server};
    }

    private static byte[] written(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = channel.readOutbound()) != null; ) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static byte[] read(EmbeddedChannel channel) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf b; (b = channel.readInbound()) != null; ) {
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    @Test
    void whatOneSideSealsTheOtherOpensExactlyWhateverTheChunking() {
        EmbeddedChannel[] pair = sealedPair();
        Random random = new Random(7);
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int size : new int[] {0, 1, 15, 16, 17, 65_535, 65_536, 65_537, 300_000, 3}) {
            byte[] data = new byte[size];
            random.nextBytes(data);
            sent.writeBytes(data);
            pair[0].writeAndFlush(Unpooled.wrappedBuffer(data));
        }
        byte[] wire = written(pair[0]);
        assertFalse(
                ByteSearch.indexOf(wire, java.util.Arrays.copyOfRange(sent.toByteArray(), 1000, 1032)) >= 0,
                "the plaintext does not appear on the wire");
        // Deliver in odd-sized pieces: records are reassembled across reads.
        for (int i = 0; i < wire.length; i += 7_001) {
            pair[1].writeInbound(Unpooled.wrappedBuffer(wire, i, Math.min(7_001, wire.length - i)));
        }
        assertArrayEquals(sent.toByteArray(), read(pair[1]));
    }

    @Test
    void aFlippedBitIsAnIntegrityFailureAndNothingOfTheRecordIsPassedOn() {
        EmbeddedChannel[] pair = sealedPair();
        pair[0].writeAndFlush(Unpooled.wrappedBuffer(new byte[1000]));
        byte[] wire = written(pair[0]);
        wire[500] ^= 0x01;
        IntegrityException e =
                assertThrows(IntegrityException.class, () -> pair[1].writeInbound(Unpooled.wrappedBuffer(wire)));
        assertTrue(e.getMessage().contains("integrity check"), e.getMessage());
        assertNull(pair[1].readInbound());
        // Nothing afterwards is read as data either, not even a valid record.
        pair[0].writeAndFlush(Unpooled.wrappedBuffer(new byte[10]));
        pair[1].writeInbound(Unpooled.wrappedBuffer(written(pair[0])));
        assertNull(pair[1].readInbound());
    }

    @Test
    void reorderedReplayedOrDroppedRecordsFailTheirCheck() {
        EmbeddedChannel[] pair = sealedPair();
        pair[0].writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        written(pair[0]); // dropped on the way
        pair[0].writeAndFlush(Unpooled.wrappedBuffer(new byte[] {2}));
        byte[] second = written(pair[0]);
        // The second record arrives first: it was sealed under the next counter, so it fails in first place.
        assertThrows(IntegrityException.class, () -> pair[1].writeInbound(Unpooled.wrappedBuffer(second)));

        EmbeddedChannel[] replay = sealedPair();
        replay[0].writeAndFlush(Unpooled.wrappedBuffer(new byte[] {1}));
        byte[] once = written(replay[0]);
        replay[1].writeInbound(Unpooled.wrappedBuffer(once));
        assertArrayEquals(new byte[] {1}, read(replay[1]));
        assertThrows(IntegrityException.class, () -> replay[1].writeInbound(Unpooled.wrappedBuffer(once)));
    }

    @Test
    void aRecordSealedUnderAnotherConnectionsKeysIsRefused() {
        EmbeddedChannel client = new EmbeddedChannel();
        SealedChannel.install(client.pipeline(), 1024);
        SealedChannel.seal(client.pipeline(), ChannelKeys.forClient(KEY, "test", CLIENT_NONCE, nonce(3)));
        client.writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));
        EmbeddedChannel server = sealedPair()[1];
        assertThrows(IntegrityException.class, () -> server.writeInbound(Unpooled.wrappedBuffer(written(client))));
        // Keys of another protocol (shuffle vs rpc) differ too.
        EmbeddedChannel rpcClient = new EmbeddedChannel();
        SealedChannel.install(rpcClient.pipeline(), 1024);
        SealedChannel.seal(rpcClient.pipeline(), ChannelKeys.forClient(KEY, "other", CLIENT_NONCE, SERVER_NONCE));
        rpcClient.writeAndFlush(Unpooled.wrappedBuffer(new byte[100]));
        EmbeddedChannel server2 = sealedPair()[1];
        assertThrows(IntegrityException.class, () -> server2.writeInbound(Unpooled.wrappedBuffer(written(rpcClient))));
    }

    @Test
    void plaintextAfterTheHandshakeOfASealedConnectionIsNotData() {
        EmbeddedChannel server = new EmbeddedChannel();
        SealedChannel.install(server.pipeline(), 1024);
        // A handshake frame followed, in the same read, by a plaintext frame slipped in behind it.
        ByteBuf bytes = Unpooled.buffer();
        bytes.writeInt(3).writeBytes(new byte[] {9, 9, 9});
        bytes.writeInt(20).writeBytes(new byte[20]);
        server.pipeline().addLast(new io.netty.channel.ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(io.netty.channel.ChannelHandlerContext ctx, Object msg) {
                ((ByteBuf) msg).release();
                if (!SealedChannel.isSealed(ctx.pipeline())) {
                    // The handshake's last frame: decide while it is handled, as the real handlers do.
                    SealedChannel.seal(ctx.pipeline(), ChannelKeys.forServer(KEY, "test", CLIENT_NONCE, SERVER_NONCE));
                } else {
                    throw new AssertionError("plaintext reached the protocol handler");
                }
            }
        });
        assertThrows(IntegrityException.class, () -> server.writeInbound(bytes));
    }

    @Test
    void handshakeFramesAreBoundedAndAPlainConnectionPassesBytesThrough() {
        EmbeddedChannel server = new EmbeddedChannel();
        SealedChannel.install(server.pipeline(), 16);
        ByteBuf big = Unpooled.buffer().writeInt(17).writeBytes(new byte[17]);
        assertInstanceOf(TooLongFrameException.class, assertThrows(Exception.class, () -> server.writeInbound(big)));

        EmbeddedChannel plain = new EmbeddedChannel();
        SealedChannel.install(plain.pipeline(), 16);
        plain.writeInbound(Unpooled.buffer().writeInt(2).writeBytes(new byte[] {5, 6}));
        assertArrayEquals(new byte[] {0, 0, 0, 2, 5, 6}, read(plain), "one whole handshake frame");
        SealedChannel.stayPlain(plain.pipeline());
        plain.runPendingTasks();
        assertNull(plain.pipeline().get(RecordOpener.class), "the opener left the pipeline");
        byte[] large = new byte[100_000];
        plain.writeInbound(Unpooled.wrappedBuffer(large));
        assertEquals(large.length, read(plain).length);
    }

    @Test
    void aSealedConnectionRefusesToWriteAFileRegion() {
        EmbeddedChannel client = sealedPair()[0];
        io.netty.channel.ChannelFuture f =
                client.writeAndFlush(new io.netty.channel.DefaultFileRegion(new java.io.File("/dev/null"), 0, 0));
        assertInstanceOf(IllegalStateException.class, f.cause());
    }
}
