package dev.weft.transport;

import java.util.EnumSet;
import java.util.Set;

/**
 * Thrown by a {@link BlockResolver} for a block that does not exist: code {@link ErrorCode#UNKNOWN_APP},
 * {@link ErrorCode#BLOCK_NOT_FOUND} (unknown shuffle, map or attempt) or {@link ErrorCode#OUT_OF_RANGE}
 * (partition id outside the map output). The server sends the code to the client.
 */
public final class BlockNotFoundException extends TransportException {
    private static final long serialVersionUID = 1L;
    private static final Set<ErrorCode> ALLOWED =
            EnumSet.of(ErrorCode.UNKNOWN_APP, ErrorCode.BLOCK_NOT_FOUND, ErrorCode.OUT_OF_RANGE);

    public BlockNotFoundException(ErrorCode code, String message) {
        super(code, message);
        if (!ALLOWED.contains(code)) {
            throw new IllegalArgumentException("code must be one of " + ALLOWED + ": " + code);
        }
    }

    public static BlockNotFoundException notFound(String message) {
        return new BlockNotFoundException(ErrorCode.BLOCK_NOT_FOUND, message);
    }

    public static BlockNotFoundException outOfRange(String message) {
        return new BlockNotFoundException(ErrorCode.OUT_OF_RANGE, message);
    }

    public static BlockNotFoundException unknownApp(String message) {
        return new BlockNotFoundException(ErrorCode.UNKNOWN_APP, message);
    }
}
