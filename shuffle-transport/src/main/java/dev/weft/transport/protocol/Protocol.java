package dev.weft.transport.protocol;

import dev.weft.transport.ErrorCode;
import dev.weft.transport.proto.AuthChallenge;
import dev.weft.transport.proto.AuthOk;
import dev.weft.transport.proto.AuthResponse;
import dev.weft.transport.proto.BlockHeader;
import dev.weft.transport.proto.Envelope;
import dev.weft.transport.proto.ErrorResponse;
import dev.weft.transport.proto.FetchBlocks;
import dev.weft.transport.proto.WireErrorCode;

/** Protocol constants and envelope builders that stamp {@link #VERSION} on every message. Stateless. */
public final class Protocol {
    /** The only protocol version this code speaks. */
    public static final int VERSION = 2;
    /** Bytes of the big-endian length prefix in front of every frame. */
    public static final int LENGTH_FIELD_BYTES = 4;
    /** Largest frame a server accepts before the peer authenticated: an auth response is far smaller. */
    public static final int MAX_PRE_AUTH_FRAME_BYTES = 1024;

    private Protocol() {}

    public static Envelope challenge(AuthChallenge challenge) {
        return Envelope.newBuilder()
                .setProtocolVersion(VERSION)
                .setAuthChallenge(challenge)
                .build();
    }

    public static Envelope authResponse(AuthResponse response) {
        return Envelope.newBuilder()
                .setProtocolVersion(VERSION)
                .setAuthResponse(response)
                .build();
    }

    public static Envelope authOk(AuthOk ok) {
        return Envelope.newBuilder().setProtocolVersion(VERSION).setAuthOk(ok).build();
    }

    public static Envelope fetch(FetchBlocks fetch) {
        return Envelope.newBuilder()
                .setProtocolVersion(VERSION)
                .setFetchBlocks(fetch)
                .build();
    }

    public static Envelope blockHeader(BlockHeader header) {
        return Envelope.newBuilder()
                .setProtocolVersion(VERSION)
                .setBlockHeader(header)
                .build();
    }

    public static Envelope error(long requestId, ErrorCode code, String message, long retryAfterMillis) {
        ErrorResponse error = ErrorResponse.newBuilder()
                .setRequestId(requestId)
                .setCode(toWire(code))
                .setMessage(message == null ? "" : message)
                .setRetryAfterMs(retryAfterMillis)
                .build();
        return Envelope.newBuilder().setProtocolVersion(VERSION).setError(error).build();
    }

    public static WireErrorCode toWire(ErrorCode code) {
        return switch (code) {
            case UNKNOWN_APP -> WireErrorCode.UNKNOWN_APP;
            case AUTH_FAILED -> WireErrorCode.AUTH_FAILED;
            case NOT_AUTHENTICATED -> WireErrorCode.NOT_AUTHENTICATED;
            case BLOCK_NOT_FOUND -> WireErrorCode.BLOCK_NOT_FOUND;
            case OUT_OF_RANGE -> WireErrorCode.OUT_OF_RANGE;
            case BAD_REQUEST -> WireErrorCode.BAD_REQUEST;
            case UNSUPPORTED_VERSION -> WireErrorCode.UNSUPPORTED_VERSION;
            case BUSY -> WireErrorCode.BUSY;
            case INTERNAL -> WireErrorCode.INTERNAL;
            case UNSAFE_FILE -> WireErrorCode.UNSAFE_FILE;
            case INTEGRITY -> WireErrorCode.INTEGRITY;
            case SEALING_REQUIRED -> WireErrorCode.SEALING_REQUIRED;
            case CORRUPT_BLOCK, CONNECTION_LOST, TIMEOUT, BLOCK_TOO_LARGE ->
                throw new IllegalArgumentException("not a wire error code: " + code);
        };
    }

    /** Maps a received code; codes this version does not know (a newer server) become {@link ErrorCode#INTERNAL}. */
    public static ErrorCode fromWire(WireErrorCode code) {
        return switch (code) {
            case UNKNOWN_APP -> ErrorCode.UNKNOWN_APP;
            case AUTH_FAILED -> ErrorCode.AUTH_FAILED;
            case NOT_AUTHENTICATED -> ErrorCode.NOT_AUTHENTICATED;
            case BLOCK_NOT_FOUND -> ErrorCode.BLOCK_NOT_FOUND;
            case OUT_OF_RANGE -> ErrorCode.OUT_OF_RANGE;
            case BAD_REQUEST -> ErrorCode.BAD_REQUEST;
            case UNSUPPORTED_VERSION -> ErrorCode.UNSUPPORTED_VERSION;
            case BUSY -> ErrorCode.BUSY;
            case UNSAFE_FILE -> ErrorCode.UNSAFE_FILE;
            case INTEGRITY -> ErrorCode.INTEGRITY;
            case SEALING_REQUIRED -> ErrorCode.SEALING_REQUIRED;
            case INTERNAL, WIRE_ERROR_CODE_UNSPECIFIED, UNRECOGNIZED -> ErrorCode.INTERNAL;
        };
    }
}
