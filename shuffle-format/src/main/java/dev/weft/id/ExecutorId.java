package dev.weft.id;

import java.io.Serializable;
import java.util.Objects;

/**
 * An executor of an application ({@code exec-4} on YARN, {@code local} for the local backend's one). Prints
 * as the bare name so that log lines read the same as before ids were typed.
 */
public record ExecutorId(String value) implements Serializable {
    public ExecutorId {
        Objects.requireNonNull(value, "value is null");
        if (value.isBlank()) {
            throw new IllegalArgumentException("executor id is blank");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
