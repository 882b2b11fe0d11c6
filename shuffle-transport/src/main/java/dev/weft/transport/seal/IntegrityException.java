package dev.weft.transport.seal;

import io.netty.handler.codec.DecoderException;

/**
 * A sealed record failed its authentication check: its bytes were altered on the wire, or the peer does not hold the
 * connection's key. Nothing of such a record is passed on; the connection must be closed.
 */
public final class IntegrityException extends DecoderException {
    private static final long serialVersionUID = 1L;

    public IntegrityException(String message) {
        super(message);
    }

    public IntegrityException(String message, Throwable cause) {
        super(message, cause);
    }
}
