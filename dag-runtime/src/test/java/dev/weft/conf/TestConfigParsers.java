package dev.weft.conf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TestConfigParsers {
    @Test
    void containerMemoryReadsABareNumberAsMebibytes() {
        ConfigParser<Long> memory = ConfigParsers.mebibytes(1L << 20);
        assertEquals(ConfigUnit.MEBIBYTES, memory.unit());
        // the defect this rule fixes: 4096 was read as 4096 bytes and became -Xmx0m
        assertEquals(4096L * 1024 * 1024, memory.parse("4096"));
        assertEquals(4L << 30, memory.parse("4g"));
        assertEquals(384L << 20, memory.parse("384m"));
        assertEquals(512L << 20, memory.parse("524288k"));
        assertThrows(IllegalArgumentException.class, () -> memory.parse("512k")); // below 1m
        assertThrows(IllegalArgumentException.class, () -> memory.parse("4096b")); // explicit bytes, below 1m
        assertEquals(2L << 20, memory.parse("2097152b"));
        assertThrows(IllegalArgumentException.class, () -> memory.parse("lots"));
    }

    @Test
    void otherSizesReadABareNumberAsBytes() {
        ConfigParser<Long> bytes = ConfigParsers.bytes(1, Long.MAX_VALUE);
        assertEquals(4096L, bytes.parse("4096"));
        assertEquals(64L << 10, bytes.parse("64k"));
        assertEquals(64L << 10, bytes.parse("64KB"));
        assertEquals(2L << 40, bytes.parse("2t"));
        assertThrows(IllegalArgumentException.class, () -> bytes.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> bytes.parse("m"));
        assertThrows(IllegalArgumentException.class, () -> bytes.parse("99999999999t"));
        ConfigParser<Long> bounded = ConfigParsers.bytes(1024, Integer.MAX_VALUE - 8);
        assertEquals("a size in [1k, 2147483639] such as 512k, 64m or 2g", bounded.accepted());
        assertThrows(IllegalArgumentException.class, () -> bounded.parse("2g"));
    }

    @Test
    void durations() {
        ConfigParser<Long> d = ConfigParsers.durationMillis(1);
        assertEquals(250L, d.parse("250ms"));
        assertEquals(250L, d.parse("250"));
        assertEquals(30_000L, d.parse("30s"));
        assertEquals(120_000L, d.parse("2min"));
        assertEquals(3_600_000L, d.parse("1h"));
        assertThrows(IllegalArgumentException.class, () -> d.parse("2m"));
        assertThrows(IllegalArgumentException.class, () -> d.parse("0s"));
        assertThrows(IllegalArgumentException.class, () -> d.parse("-5ms"));
        assertThrows(IllegalArgumentException.class, () -> d.parse("9999999999999999h"));
        assertEquals(
                "a duration >= 10s such as 500ms, 30s or 2min",
                ConfigParsers.durationMillis(10_000).accepted());
    }

    @Test
    void countsFractionsPortsAndChoices() {
        assertEquals(7, ConfigParsers.intInRange(1, 9).parse(" 7 "));
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfigParsers.intInRange(1, 9).parse("10"));
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfigParsers.intAtLeast(0).parse("99999999999"));
        assertEquals(0.5, ConfigParsers.fraction().parse("0.5"));
        assertThrows(
                IllegalArgumentException.class, () -> ConfigParsers.fraction().parse("NaN"));
        assertEquals(65535, ConfigParsers.port().parse("65535"));
        assertThrows(IllegalArgumentException.class, () -> ConfigParsers.port().parse("65536"));
        assertEquals("yarn", ConfigParsers.oneOf("local", "yarn").parse("yarn"));
        assertThrows(
                IllegalArgumentException.class,
                () -> ConfigParsers.oneOf("local", "yarn").parse("mesos"));
        assertThrows(
                IllegalArgumentException.class, () -> ConfigParsers.nonEmpty().parse("  "));
    }
}
