package dev.weft.transport;

/**
 * Every failure the transport reports, with its category and whether retrying the same fetch can help.
 * Those marked {@code wire} travel on the wire ({@link #wire()}); the rest are detected by the client itself.
 * Callers decide on the code, never on message text. Immutable, thread-safe.
 */
public enum ErrorCode {
    UNKNOWN_APP(Category.USER, false, true),
    AUTH_FAILED(Category.USER, false, true),
    NOT_AUTHENTICATED(Category.INTERNAL, false, true),
    BLOCK_NOT_FOUND(Category.EXTERNAL, false, true),
    OUT_OF_RANGE(Category.USER, false, true),
    BAD_REQUEST(Category.INTERNAL, false, true),
    UNSUPPORTED_VERSION(Category.INTERNAL, false, true),
    BUSY(Category.RESOURCES, true, true),
    INTERNAL(Category.INTERNAL, true, true),
    /**
     * The server refused a map output file: a link, not a regular file, another owner's, outside the application's
     * directories, or an index larger than it accepts. Nothing of it was read.
     */
    UNSAFE_FILE(Category.USER, false, true),
    /**
     * A sealed record failed its integrity check (detected by whichever side read it): bytes were altered on the way.
     * Nothing of the record was used; a new connection may succeed.
     */
    INTEGRITY(Category.EXTERNAL, true, true),
    /** The server accepts sealed connections only ({@code weft.shuffle.transport.integrity}) and the client did not seal. */
    SEALING_REQUIRED(Category.USER, false, true),
    /** The block's bytes did not match the CRC32C recorded by the map task. */
    CORRUPT_BLOCK(Category.EXTERNAL, true, false),
    /** The connection closed, failed or the peer broke the protocol before the fetch completed. */
    CONNECTION_LOST(Category.EXTERNAL, true, false),
    /** The fetch or connect did not complete within its configured timeout. */
    TIMEOUT(Category.EXTERNAL, true, false),
    /** A block is larger than the client will hold in memory. */
    BLOCK_TOO_LARGE(Category.RESOURCES, false, false);

    /** Who is at fault. */
    public enum Category {
        USER,
        INTERNAL,
        RESOURCES,
        EXTERNAL
    }

    private final Category category;
    private final boolean retriable;
    private final boolean wire;

    ErrorCode(Category category, boolean retriable, boolean wire) {
        this.category = category;
        this.retriable = retriable;
        this.wire = wire;
    }

    public Category category() {
        return category;
    }

    /** Whether the same fetch, repeated later (possibly on a new connection), can succeed. */
    public boolean retriable() {
        return retriable;
    }

    /** Whether a server may send this code in an error response. */
    public boolean wire() {
        return wire;
    }
}
