package dev.weft.conf;

/**
 * What a key's value measures, and so how a bare number is read. Each unit states its reading of a bare number
 * once, here, so the generated docs/CONFIGURATION.md and the parsers cannot disagree.
 */
public enum ConfigUnit {
    /** Free text or one of a few words. */
    NONE("-"),
    /** A whole number of things (threads, attempts, executors). */
    COUNT("count"),
    /** A number in [0, 1]. */
    FRACTION("fraction"),
    /** A size: suffix k, m, g or t (binary; an optional trailing b is ignored); a bare number is bytes. */
    BYTES("bytes; k/m/g suffixes, bare number = bytes"),
    /**
     * A container's memory: suffix k, m, g or t; a bare number is MiB, as YARN and Spark read container memory
     * ({@code 4096} is 4 GiB, not 4096 bytes).
     */
    MEBIBYTES("size; k/m/g suffixes, bare number = MiB"),
    /** A duration: suffix ms, s, min or h; a bare number is milliseconds. */
    DURATION("duration; ms/s/min/h suffixes, bare number = ms"),
    /** A TCP port. */
    PORT("port");

    private final String doc;

    ConfigUnit(String doc) {
        this.doc = doc;
    }

    /** How docs/CONFIGURATION.md names this unit. */
    public String doc() {
        return doc;
    }
}
