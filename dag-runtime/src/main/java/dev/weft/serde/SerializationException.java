package dev.weft.serde;

/** A value could not be written or read: malformed bytes, an unsupported value, a failed fallback. */
public class SerializationException extends RuntimeException {
    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
