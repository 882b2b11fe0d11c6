package dev.weft.executor.rpc;

import dev.weft.executor.proto.ErrorCode;
import java.util.Objects;

/** The driver answered a request or registration with an error, or the connection failed first. */
public final class DriverRequestException extends RuntimeException {
    private final ErrorCode code;

    public DriverRequestException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code is null");
    }

    /** What went wrong; act on this, never on the message text. */
    public ErrorCode code() {
        return code;
    }
}
