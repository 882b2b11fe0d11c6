package dev.weft.executor.rpc;

import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.weft.executor.proto.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.MessageToByteEncoder;
import io.netty.handler.codec.MessageToMessageDecoder;
import io.netty.handler.codec.TooLongFrameException;
import java.io.IOException;
import java.util.List;

/**
 * The wire format: a 4-byte big-endian length, then one serialized {@link Envelope}. Both directions are
 * bounded by the same maximum, so a peer can neither make us allocate an arbitrary buffer nor send us
 * something we would refuse.
 *
 * <p>Inbound: {@link LengthFieldBasedFrameDecoder} with failFast (an oversized length is rejected as soon as it
 * is read, before any of its bytes are buffered), then protobuf parsing. Both throw a
 * {@link io.netty.handler.codec.DecoderException}; {@link ProtocolErrorHandler}, last in the pipeline, logs it
 * once and closes only that connection. Outbound: an envelope over the maximum fails its write with
 * {@link FrameTooLargeException} and the connection stays usable.
 *
 * <p>Handlers are per channel (the frame decoder keeps state); install them with {@link #install}.
 */
public final class FrameCodec {
    static final int LENGTH_BYTES = 4;

    private FrameCodec() {}

    /** Largest frame the driver accepts before the peer authenticated: an auth response is far smaller. */
    public static final int MAX_PRE_AUTH_FRAME_BYTES = 1024;

    /** Adds the codec at the head of {@code pipeline}'s current tail; call it before adding protocol handlers. */
    public static void install(ChannelPipeline pipeline, int maxFrameBytes) {
        install(pipeline, maxFrameBytes, maxFrameBytes);
    }

    /**
     * Like {@link #install(ChannelPipeline, int)}, for a server: frames are held to {@code preAuthMaxFrameBytes}
     * until {@link #authenticated} lifts the limit, so a peer without the secret cannot make the driver buffer a
     * 64 MiB frame.
     */
    public static void install(ChannelPipeline pipeline, int maxFrameBytes, int preAuthMaxFrameBytes) {
        pipeline.addLast("frameDecoder", new BoundedFrameDecoder(maxFrameBytes, preAuthMaxFrameBytes));
        pipeline.addLast("envelopeDecoder", new EnvelopeDecoder());
        pipeline.addLast("envelopeEncoder", new EnvelopeEncoder(maxFrameBytes));
    }

    /** The peer of this pipeline authenticated: frames up to the full maximum are accepted from now on. */
    public static void authenticated(ChannelPipeline pipeline) {
        BoundedFrameDecoder decoder = pipeline.get(BoundedFrameDecoder.class);
        if (decoder != null) {
            decoder.authenticated = true;
        }
    }

    /**
     * Length-prefixed frames of at most the maximum, failing fast (TooLongFrameException as soon as the length prefix
     * is read, before any of its bytes are buffered); until the peer authenticated, of at most the smaller limit.
     * Event loop only.
     */
    static final class BoundedFrameDecoder extends LengthFieldBasedFrameDecoder {
        private final int preAuthMaxFrameBytes;
        private boolean authenticated;

        BoundedFrameDecoder(int maxFrameBytes, int preAuthMaxFrameBytes) {
            super(maxFrameBytes + LENGTH_BYTES, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true);
            if (preAuthMaxFrameBytes < 1 || preAuthMaxFrameBytes > maxFrameBytes) {
                throw new IllegalArgumentException("pre-authentication frame limit " + preAuthMaxFrameBytes
                        + " outside [1, " + maxFrameBytes + "]");
            }
            this.preAuthMaxFrameBytes = preAuthMaxFrameBytes;
            this.authenticated = preAuthMaxFrameBytes == maxFrameBytes;
        }

        @Override
        protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
            if (!authenticated && in.readableBytes() >= LENGTH_BYTES) {
                long length = in.getUnsignedInt(in.readerIndex());
                if (length > preAuthMaxFrameBytes) {
                    in.skipBytes(in.readableBytes());
                    throw new TooLongFrameException(
                            "frame of " + length + " bytes before authentication (limit " + preAuthMaxFrameBytes + ")");
                }
            }
            return super.decode(ctx, in);
        }
    }

    /** An envelope larger than the configured maximum frame; the message was not sent. */
    public static final class FrameTooLargeException extends EncoderException {
        FrameTooLargeException(String message) {
            super(message);
        }
    }

    /** Parses one frame (the length prefix already stripped); the input buffer is released by the superclass. */
    static final class EnvelopeDecoder extends MessageToMessageDecoder<ByteBuf> {
        @Override
        protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
            Envelope envelope;
            try {
                envelope = Envelope.parseFrom(frame.nioBuffer());
            } catch (InvalidProtocolBufferException e) {
                throw new CorruptedFrameException(
                        "undecodable frame of " + frame.readableBytes() + " bytes: " + e.getMessage(), e);
            }
            if (envelope.getBodyCase() == Envelope.BodyCase.BODY_NOT_SET) {
                // Either garbage that happens to parse as an empty message, or a message type from a newer peer.
                throw new CorruptedFrameException(
                        "frame of " + frame.readableBytes() + " bytes holds no known message");
            }
            out.add(envelope);
        }
    }

    /** Writes length + envelope into one buffer; refuses envelopes over the maximum before allocating. */
    static final class EnvelopeEncoder extends MessageToByteEncoder<Envelope> {
        private final int maxFrameBytes;

        EnvelopeEncoder(int maxFrameBytes) {
            super(Envelope.class);
            this.maxFrameBytes = maxFrameBytes;
        }

        @Override
        protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Envelope msg, boolean preferDirect) {
            int size = msg.getSerializedSize();
            if (size > maxFrameBytes) {
                throw new FrameTooLargeException(
                        msg.getBodyCase() + " of " + size + " bytes exceeds the maximum frame of " + maxFrameBytes
                                + " bytes (" + RpcConfig.MAX_FRAME_BYTES.name() + ")");
            }
            return ctx.alloc().ioBuffer(LENGTH_BYTES + size);
        }

        @Override
        protected void encode(ChannelHandlerContext ctx, Envelope msg, ByteBuf out) throws IOException {
            out.writeInt(msg.getSerializedSize());
            CodedOutputStream cos = CodedOutputStream.newInstance(new ByteBufOutputStream(out), 64 * 1024);
            msg.writeTo(cos);
            cos.flush();
        }
    }
}
