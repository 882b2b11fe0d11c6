package dev.weft.hdfs.rows;

import java.io.Serializable;
import java.util.Objects;

/** A line of a text file and where it starts, so that a malformed one can be named. Immutable. */
public record TextLine(String file, long offset, String text) implements Serializable {
    public TextLine {
        Objects.requireNonNull(file, "file is null");
        Objects.requireNonNull(text, "text is null");
    }

    /** "file.csv at byte 1234: \"a,b,\"c\"" (the text cut at 120 characters). */
    public String where() {
        String shown = text.length() > 120 ? text.substring(0, 120) + "…" : text;
        return file + " at byte " + offset + ": \"" + shown + "\"";
    }
}
