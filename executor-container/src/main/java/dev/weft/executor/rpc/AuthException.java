package dev.weft.executor.rpc;

import dev.weft.executor.proto.ErrorCode;
import java.util.Objects;

/** The handshake failed: wrong secret, wrong proof, version mismatch or a peer that broke the protocol. */
public final class AuthException extends Exception {
    private final ErrorCode code;

    public AuthException(ErrorCode code, String message) {
        super(message);
        this.code = Objects.requireNonNull(code, "code is null");
    }

    public ErrorCode code() {
        return code;
    }
}
