package dev.weft.transport.seal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.crypto.AEADBadTagException;

/**
 * Inbound half of a sealed connection, first in the pipeline (next to the socket). It starts in the handshake, where
 * it passes on whole plaintext frames (4-byte length, then the frame) one at a time, so that the handshake's last
 * message is handed on before a single byte after it is read. The handler that finishes the handshake then decides,
 * while that message is still being handled, what the following bytes are: sealed records ({@link #open}) or plain
 * traffic ({@link #passThrough}, after which this handler passes bytes on as read and leaves the pipeline). A peer can therefore not
 * slip plaintext in behind the handshake of a sealed connection: once {@link #open} is called, every byte read is
 * checked as a record, and the first that fails closes the connection with an {@link IntegrityException}.
 *
 * <p>Buffer ownership: each emitted buffer (a handshake frame or an opened record) is the next handler's to release.
 * One instance per channel, confined to its event loop.
 */
public final class RecordOpener extends ByteToMessageDecoder {
    private final int maxHandshakeFrameBytes;
    private RecordCipher cipher;
    private boolean plain;
    private boolean failed;

    /** @param maxHandshakeFrameBytes largest handshake frame (length prefix excluded) passed on before the decision */
    public RecordOpener(int maxHandshakeFrameBytes) {
        if (maxHandshakeFrameBytes < 1) {
            throw new IllegalArgumentException("maxHandshakeFrameBytes must be >= 1: " + maxHandshakeFrameBytes);
        }
        this.maxHandshakeFrameBytes = maxHandshakeFrameBytes;
    }

    /** Every byte from now on is a sealed record under {@code keys}. Event loop only; once. */
    void open(ChannelKeys keys) {
        if (cipher != null || plain) {
            throw new IllegalStateException("already opening sealed records");
        }
        cipher = RecordCipher.opening(keys.receive());
    }

    /**
     * The connection stays unsealed: every byte from now on is passed on as read, and this handler leaves the pipeline
     * in a later event-loop task (not now: the handler behind it is still decoding the handshake's last frame).
     * Event loop only; once.
     */
    void passThrough(ChannelHandlerContext ctx) {
        if (cipher != null || plain) {
            throw new IllegalStateException("the handshake was already decided");
        }
        plain = true;
        ctx.executor().execute(() -> {
            if (!ctx.isRemoved()) {
                ctx.pipeline().remove(this);
            }
        });
    }

    /** Whether {@link #open} was called. */
    boolean sealed() {
        return cipher != null;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (plain) {
            // Ownership: the retained slice is the next handler's to release.
            out.add(in.readRetainedSlice(in.readableBytes()));
            return;
        }
        if (in.readableBytes() < RecordCipher.HEADER_BYTES) {
            return;
        }
        long length = in.getUnsignedInt(in.readerIndex());
        if (cipher == null) {
            handshakeFrame(in, length, out);
        } else {
            record(ctx, in, length, out);
        }
    }

    private void handshakeFrame(ByteBuf in, long length, List<Object> out) {
        if (length > maxHandshakeFrameBytes) {
            fail(in);
            throw new TooLongFrameException(
                    "frame of " + length + " bytes during the handshake (limit " + maxHandshakeFrameBytes + ")");
        }
        int frame = RecordCipher.HEADER_BYTES + (int) length;
        if (in.readableBytes() >= frame) {
            // Ownership: the retained slice goes to the frame decoder behind this handler, which releases it.
            out.add(in.readRetainedSlice(frame));
        }
    }

    private void record(ChannelHandlerContext ctx, ByteBuf in, long sealedLength, List<Object> out) {
        long number = cipher.records();
        if (sealedLength < RecordCipher.TAG_BYTES
                || sealedLength > RecordCipher.MAX_PLAINTEXT + RecordCipher.TAG_BYTES) {
            fail(in);
            throw new IntegrityException("sealed record " + number + " claims " + sealedLength
                    + " bytes, outside [" + RecordCipher.TAG_BYTES + ", "
                    + (RecordCipher.MAX_PLAINTEXT + RecordCipher.TAG_BYTES)
                    + "]: the data was altered in transit or the peer does not seal");
        }
        int sealed = (int) sealedLength;
        if (in.readableBytes() < RecordCipher.HEADER_BYTES + sealed) {
            return;
        }
        int plainLength = sealed - RecordCipher.TAG_BYTES;
        ByteBuf plain = ctx.alloc().ioBuffer(Math.max(plainLength, 1));
        try {
            cipher.open(
                    in.nioBuffer(in.readerIndex() + RecordCipher.HEADER_BYTES, sealed),
                    plain.nioBuffer(0, plainLength));
        } catch (GeneralSecurityException e) {
            plain.release();
            fail(in);
            String why = e instanceof AEADBadTagException
                    ? "failed its integrity check: the data was altered in transit or sealed under another key"
                    : "could not be opened: " + e;
            throw new IntegrityException("sealed record " + number + " of " + sealed + " bytes " + why, e);
        }
        plain.writerIndex(plainLength);
        in.skipBytes(RecordCipher.HEADER_BYTES + sealed);
        // Ownership: the opened record goes to the next handler, which releases it.
        out.add(plain);
    }

    /** After a failure nothing more is read as data: the connection is being closed. */
    private void fail(ByteBuf in) {
        failed = true;
        in.skipBytes(in.readableBytes());
    }
}
