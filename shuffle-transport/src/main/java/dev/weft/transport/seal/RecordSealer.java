package dev.weft.transport.seal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * Outbound half of a sealed connection, first in the pipeline (next to the socket): every {@link ByteBuf} written
 * becomes one or more sealed records of at most {@value RecordCipher#MAX_PLAINTEXT} plaintext bytes each. Anything
 * else (a {@link io.netty.channel.FileRegion} would bypass sealing) fails its write: handlers above must turn file data
 * into buffers first (a {@link io.netty.handler.stream.ChunkedWriteHandler} does).
 *
 * <p>Buffer ownership: the written buffer is released here; the sealed buffer goes to the socket. One instance per
 * channel, confined to its event loop.
 */
final class RecordSealer extends ChannelOutboundHandlerAdapter {
    private final RecordCipher cipher;

    RecordSealer(ChannelKeys keys) {
        this.cipher = RecordCipher.sealing(keys.send());
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf plain)) {
            ReferenceCountUtil.release(msg);
            promise.setFailure(new IllegalStateException("a sealed connection sends buffers only, not "
                    + msg.getClass().getName()));
            return;
        }
        int length = plain.readableBytes();
        if (length == 0) {
            ctx.write(plain, promise);
            return;
        }
        int records = (length + RecordCipher.MAX_PLAINTEXT - 1) / RecordCipher.MAX_PLAINTEXT;
        int sealedLength = length + records * (RecordCipher.HEADER_BYTES + RecordCipher.TAG_BYTES);
        ByteBuf sealed = ctx.alloc().ioBuffer(sealedLength);
        try {
            ByteBuffer out = sealed.nioBuffer(0, sealedLength);
            int index = plain.readerIndex();
            for (int left = length; left > 0; ) {
                int n = Math.min(left, RecordCipher.MAX_PLAINTEXT);
                cipher.seal(plain.nioBuffer(index, n), out);
                index += n;
                left -= n;
            }
            sealed.writerIndex(sealedLength);
        } catch (GeneralSecurityException | RuntimeException e) {
            sealed.release();
            promise.setFailure(e);
            return;
        } finally {
            plain.release();
        }
        ctx.write(sealed, promise);
    }
}
