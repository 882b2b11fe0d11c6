package dev.weft.transport.seal;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;

/**
 * Integrity and confidentiality for an authenticated connection: AES-GCM records keyed from the handshake
 * ({@link ChannelKeys}), the same for the shuffle transport and the driver RPC. Wire format after the handshake, in
 * both directions: records of a 4-byte big-endian length {@code L}, then {@code L} bytes of ciphertext and 16-byte tag
 * ({@code L - 16} plaintext bytes, at most 64 KiB). The plaintext of the records, concatenated, is exactly the byte
 * stream the unsealed protocol would have sent.
 *
 * <p>Use: {@link #install} when the channel is initialised; when the handshake's last message is read (server: the
 * client's proof; client: the server's proof), call {@link #seal} or {@link #stayPlain} from that message's handler,
 * after writing any last plaintext handshake message. The server decides whether to seal from what the client sent
 * within its proof, so that a man in the middle cannot strip sealing off.
 *
 * <p>All methods run on the channel's event loop.
 */
public final class SealedChannel {
    /** Name of the inbound handler in the pipeline. */
    public static final String OPENER = "recordOpener";
    /** Name of the outbound handler in the pipeline, once sealed. */
    public static final String SEALER = "recordSealer";

    private SealedChannel() {}

    /** Adds the opener in front of every handler; call first when initialising a channel. */
    public static void install(ChannelPipeline pipeline, int maxHandshakeFrameBytes) {
        pipeline.addFirst(OPENER, new RecordOpener(maxHandshakeFrameBytes));
    }

    /**
     * From now on, everything read must be sealed records and everything written is sealed. Write the handshake's last
     * plaintext message (if this side sends one) before calling this.
     */
    public static void seal(ChannelPipeline pipeline, ChannelKeys keys) {
        opener(pipeline).open(keys);
        pipeline.addFirst(SEALER, new RecordSealer(keys));
    }

    /** The connection stays plain; the opener leaves the pipeline. */
    public static void stayPlain(ChannelPipeline pipeline) {
        ChannelHandlerContext ctx = pipeline.context(RecordOpener.class);
        if (ctx == null) {
            throw new IllegalStateException("no " + OPENER + " in the pipeline; install() was not called");
        }
        ((RecordOpener) ctx.handler()).passThrough(ctx);
    }

    /** Whether this connection seals its records. */
    public static boolean isSealed(ChannelPipeline pipeline) {
        RecordOpener opener = pipeline.get(RecordOpener.class);
        return opener != null && opener.sealed();
    }

    private static RecordOpener opener(ChannelPipeline pipeline) {
        RecordOpener opener = pipeline.get(RecordOpener.class);
        if (opener == null) {
            throw new IllegalStateException("no " + OPENER + " in the pipeline; install() was not called");
        }
        return opener;
    }
}
