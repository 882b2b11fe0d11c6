package dev.weft.api;

import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/** Checks at the call site that a function can be shipped to executors, before any task runs. */
final class Closures {
    private Closures() {}

    static <F> F check(F fn, String callSite) {
        if (fn == null) {
            throw new NullPointerException("the function passed to " + callSite + " is null");
        }
        try (ObjectOutputStream out = new ObjectOutputStream(OutputStream.nullOutputStream())) {
            out.writeObject(fn);
        } catch (NotSerializableException e) {
            throw new IllegalArgumentException(
                    "the function passed to " + callSite + " is not serializable: it captures " + "an instance of "
                            + e.getMessage() + ", which does not implement java.io.Serializable",
                    e);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("the function passed to " + callSite + " cannot be serialized: " + e, e);
        }
        return fn;
    }
}
