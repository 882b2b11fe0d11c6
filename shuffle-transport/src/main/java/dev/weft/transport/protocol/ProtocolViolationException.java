package dev.weft.transport.protocol;

import io.netty.handler.codec.CorruptedFrameException;

/** A frame that decoded to something the protocol does not allow: unparsable protobuf, no message, bad length. */
public final class ProtocolViolationException extends CorruptedFrameException {
    private static final long serialVersionUID = 1L;

    public ProtocolViolationException(String message) {
        super(message);
    }

    public ProtocolViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
