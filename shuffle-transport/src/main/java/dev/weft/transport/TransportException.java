package dev.weft.transport;

import static java.util.Objects.requireNonNull;

import java.io.IOException;

/** A failed transport operation with its {@link ErrorCode}. Immutable once thrown. */
public class TransportException extends IOException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final long retryAfterMillis;

    public TransportException(ErrorCode code, String message) {
        this(code, message, 0, null);
    }

    public TransportException(ErrorCode code, String message, Throwable cause) {
        this(code, message, 0, cause);
    }

    public TransportException(ErrorCode code, String message, long retryAfterMillis, Throwable cause) {
        super(requireNonNull(code, "code is null") + ": " + message, cause);
        this.code = code;
        this.retryAfterMillis = retryAfterMillis;
    }

    public ErrorCode code() {
        return code;
    }

    /** The server's retry-after hint for {@link ErrorCode#BUSY}, otherwise 0. */
    public long retryAfterMillis() {
        return retryAfterMillis;
    }
}
