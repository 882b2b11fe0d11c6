package dev.weft.transport.protocol;

import dev.weft.transport.proto.Envelope;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes an {@link Envelope} as one frame: 4-byte length, then the serialized message. Other outbound messages
 * (block data as {@link io.netty.channel.FileRegion} or {@link ByteBuf}) pass through untouched. Stateless and
 * shareable; the frame buffer is allocated and released by {@link MessageToByteEncoder}.
 */
@ChannelHandler.Sharable
public final class FrameEncoder extends MessageToByteEncoder<Envelope> {
    public FrameEncoder() {
        super(Envelope.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, Envelope msg, boolean preferDirect) {
        int size = Protocol.LENGTH_FIELD_BYTES + msg.getSerializedSize();
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, Envelope msg, ByteBuf out) throws Exception {
        out.writeInt(msg.getSerializedSize());
        try (ByteBufOutputStream stream = new ByteBufOutputStream(out)) {
            msg.writeTo(stream);
        }
    }
}
