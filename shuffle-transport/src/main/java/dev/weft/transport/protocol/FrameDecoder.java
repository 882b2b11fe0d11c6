package dev.weft.transport.protocol;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.transport.proto.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;

/**
 * First inbound handler of every pipeline: cuts the byte stream into length-prefixed frames of at most
 * {@code maxFrameBytes} (fail-fast: an oversized length is rejected as soon as it is read, without buffering the
 * frame), parses each frame as an {@link Envelope} and emits it. Client pipelines also accept block data: after a
 * {@code BlockHeader} envelope the next {@code length} bytes are emitted as {@link ByteBuf} slices, in arrival order,
 * before any further envelope.
 *
 * <p>Errors are thrown as {@link io.netty.handler.codec.DecoderException}s (too long, negative length,
 * unparsable, empty envelope) for the next handler's {@code exceptionCaught}, which must close the channel.
 *
 * <p>A server decoder may also hold frames to a much smaller size until its handler says the peer authenticated
 * ({@link #authenticated()}), so that a peer without credentials cannot make the server buffer large frames.
 *
 * <p>Buffer ownership: each emitted {@link ByteBuf} slice is retained for the next handler, which must release it.
 * Envelopes are plain heap objects. Not thread-safe; one instance per channel, used by its event loop.
 */
public final class FrameDecoder extends LengthFieldBasedFrameDecoder {
    private final boolean acceptsBlockData;
    private final int preAuthMaxFrameBytes;
    private boolean authenticated;
    private long blockBytesRemaining;

    public FrameDecoder(int maxFrameBytes, boolean acceptsBlockData) {
        this(maxFrameBytes, acceptsBlockData, maxFrameBytes);
    }

    private FrameDecoder(int maxFrameBytes, boolean acceptsBlockData, int preAuthMaxFrameBytes) {
        super(
                maxFrameBytes + Protocol.LENGTH_FIELD_BYTES,
                0,
                Protocol.LENGTH_FIELD_BYTES,
                0,
                Protocol.LENGTH_FIELD_BYTES,
                true);
        this.acceptsBlockData = acceptsBlockData;
        if (preAuthMaxFrameBytes < 1 || preAuthMaxFrameBytes > maxFrameBytes) {
            throw new IllegalArgumentException(
                    "pre-authentication frame limit " + preAuthMaxFrameBytes + " outside [1, " + maxFrameBytes + "]");
        }
        this.preAuthMaxFrameBytes = preAuthMaxFrameBytes;
        // Without a smaller limit before authentication, the base class's own check (TooLongFrameException) applies.
        this.authenticated = preAuthMaxFrameBytes == maxFrameBytes;
    }

    /** Client pipeline (accepts block data after headers). */
    public static FrameDecoder forClient(int maxFrameBytes) {
        return new FrameDecoder(maxFrameBytes, true);
    }

    /**
     * Server pipeline that accepts frames of at most {@code preAuthMaxFrameBytes} until {@link #authenticated()}.
     */
    public static FrameDecoder forAuthenticatingServer(int maxFrameBytes, int preAuthMaxFrameBytes) {
        return new FrameDecoder(maxFrameBytes, false, preAuthMaxFrameBytes);
    }

    /** The peer authenticated: frames up to the full limit are accepted from now on. Event loop only. */
    public void authenticated() {
        authenticated = true;
    }

    /** Server pipeline (control frames only). */
    public static FrameDecoder forServer(int maxFrameBytes) {
        return new FrameDecoder(maxFrameBytes, false);
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (blockBytesRemaining > 0) {
            int n = (int) Math.min(in.readableBytes(), blockBytesRemaining);
            if (n == 0) {
                return null;
            }
            blockBytesRemaining -= n;
            // Ownership: the retained slice goes to the next handler, which releases it.
            return in.readRetainedSlice(n);
        }
        if (!authenticated && in.readableBytes() >= Protocol.LENGTH_FIELD_BYTES) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > preAuthMaxFrameBytes) {
                // Skip what arrived so that the next read does not report the same frame again.
                in.skipBytes(in.readableBytes());
                throw new ProtocolViolationException(
                        "frame of " + length + " bytes before authentication (limit " + preAuthMaxFrameBytes + ")");
            }
        }
        ByteBuf frame = (ByteBuf) super.decode(ctx, in);
        if (frame == null) {
            return null;
        }
        Envelope envelope;
        try {
            envelope = Envelope.parser().parseFrom(frame.nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            throw new ProtocolViolationException("undecodable frame of " + frame.readableBytes() + " bytes", e);
        } finally {
            // Ownership: the frame was ours alone (super.decode hands it over); its content now lives in the envelope.
            frame.release();
        }
        if (envelope.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
            throw new ProtocolViolationException("frame without a known message type");
        }
        if (envelope.hasBlockHeader()) {
            if (!acceptsBlockData) {
                throw new ProtocolViolationException("block data is not accepted in this direction");
            }
            long length = envelope.getBlockHeader().getLength();
            if (length < 0) {
                throw new ProtocolViolationException("negative block length " + length);
            }
            blockBytesRemaining = length;
        }
        return envelope;
    }
}
