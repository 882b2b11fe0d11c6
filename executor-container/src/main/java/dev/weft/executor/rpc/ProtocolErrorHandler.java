package dev.weft.executor.rpc;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.util.AttributeKey;
import java.io.IOException;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last handler of every pipeline: turns any exception on a connection into exactly one log line and a close
 * of that connection only. Malformed frames (too long, undecodable, unknown message) are logged as errors and
 * counted, as are records of a sealed connection that fail their integrity check; plain I/O errors (peer reset) are expected when a peer dies and are logged at info.
 *
 * <p>Sharable: its only state is the thread-safe counter and a per-channel attribute.
 */
@io.netty.channel.ChannelHandler.Sharable
public final class ProtocolErrorHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ProtocolErrorHandler.class);
    // Set on the first error so that the errors that follow in the same read (the decoder may fire
    // several before the close completes) do not produce more log lines.
    private static final AttributeKey<Boolean> FAILED = AttributeKey.valueOf("weft.rpc.failed");

    private final String side;
    private final LongAdder frameErrors;

    /**
     * @param side        who we are, for log lines ("driver", "executor exec-1")
     * @param frameErrors incremented once per connection closed for a malformed frame or a record failing its check
     */
    public ProtocolErrorHandler(String side, LongAdder frameErrors) {
        this.side = side;
        this.frameErrors = frameErrors;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().attr(FAILED).setIfAbsent(Boolean.TRUE) != null) {
            LOG.debug(
                    "{}: further error on {} after close: {}",
                    side,
                    ctx.channel().remoteAddress(),
                    cause.toString());
            return;
        }
        if (cause instanceof dev.weft.transport.seal.IntegrityException) {
            frameErrors.increment();
            LOG.error("{}: closing connection with {}: {}", side, ctx.channel().remoteAddress(), cause.getMessage());
        } else if (cause instanceof DecoderException) {
            frameErrors.increment();
            LOG.error(
                    "{}: closing connection with {}: malformed frame: {}",
                    side,
                    ctx.channel().remoteAddress(),
                    cause.getMessage());
        } else if (cause instanceof IOException) {
            LOG.info("{}: connection with {} failed: {}", side, ctx.channel().remoteAddress(), cause.toString());
        } else {
            LOG.error(
                    "{}: closing connection with {} after an unexpected error",
                    side,
                    ctx.channel().remoteAddress(),
                    cause);
        }
        ctx.close();
    }
}
