package dev.weft.scheduler;

import dev.weft.shuffle.MapStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The driver journal's file format: a header (magic {@code WEFTJRN1} and the application id the journal belongs
 * to), then records, each framed as its payload's length, the payload's CRC32 and the payload. A driver that dies
 * while appending leaves a torn last record: reading keeps every whole record before it and says where the file is
 * damaged. A file that is not a journal, or belongs to another application, is refused with an error naming it.
 *
 * <p>Stateless; thread-safe.
 */
public final class JournalFile {
    private static final byte[] MAGIC = "WEFTJRN1".getBytes(StandardCharsets.US_ASCII);
    /** A record larger than this is damage, not data (a shuffle of a million maps is a few tens of MiB). */
    static final int MAX_RECORD_BYTES = 256 << 20;

    private static final byte SHUFFLE_COMPLETED = 1;
    private static final byte OUTPUT_STARTED = 2;
    private static final byte OUTPUT_COMMITTED = 3;

    private JournalFile() {}

    /** A journal that is not one, or not this application's. */
    public static final class ForeignJournalException extends IOException {
        private static final long serialVersionUID = 1L;

        ForeignJournalException(String message) {
            super(message);
        }
    }

    /**
     * What a journal held.
     *
     * @param shuffles completed shuffles in the order they were recorded (a later record of the same shuffle wins)
     * @param records  whole records read
     * @param damage   why reading stopped before the end of the file, or null when it reached the end cleanly
     */
    public record Contents(
            Map<ShuffleLineage, List<MapStatus>> shuffles,
            Map<ShuffleLineage, List<Map<Long, Object>>> accumulatorUpdates,
            Map<String, Output> outputs,
            int records,
            String damage) {
        public Contents {
            shuffles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(shuffles));
            accumulatorUpdates = Map.copyOf(accumulatorUpdates);
            outputs = Map.copyOf(outputs);
        }

        /** Only shuffles, without accumulator updates. */
        public Contents(Map<ShuffleLineage, List<MapStatus>> shuffles, int records, String damage) {
            this(shuffles, Map.of(), Map.of(), records, damage);
        }
    }

    /** An output the journal's attempt began (and perhaps committed), by its path. */
    public record Output(String path, String jobToken, String fingerprint, int partitions, boolean committed) {}

    /** A framed record: this attempt begins writing {@code path} under {@code jobToken}. */
    public static byte[] outputStarted(String path, String jobToken, String fingerprint, int partitions) {
        return record(out -> {
            out.writeByte(OUTPUT_STARTED);
            out.writeUTF(path);
            out.writeUTF(jobToken);
            out.writeUTF(fingerprint);
            out.writeInt(partitions);
        });
    }

    /** A framed record: the output this attempt began writing to {@code path} under {@code jobToken} is committed. */
    public static byte[] outputCommitted(String path, String jobToken) {
        return record(out -> {
            out.writeByte(OUTPUT_COMMITTED);
            out.writeUTF(path);
            out.writeUTF(jobToken);
        });
    }

    /** Writes one record's payload. */
    private interface PayloadWriter {
        void write(DataOutputStream out) throws IOException;
    }

    private static byte[] record(PayloadWriter payload) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            payload.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frame(bytes.toByteArray());
    }

    /** The header of {@code appId}'s journal. */
    public static byte[] header(String appId) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeUTF(appId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** A framed record: every map output of {@code shuffle} is at {@code statuses}. */
    public static byte[] shuffleCompleted(ShuffleLineage shuffle, List<MapStatus> statuses) {
        return shuffleCompleted(shuffle, statuses, List.of());
    }

    /**
     * A framed record: every map output of {@code shuffle} is at {@code statuses}, and the tasks that wrote them
     * reported {@code accumulatorUpdates} (per map, by accumulator id; values Java-serializable, as tasks report them).
     */
    public static byte[] shuffleCompleted(
            ShuffleLineage shuffle, List<MapStatus> statuses, List<Map<Long, Object>> accumulatorUpdates) {
        return record(out -> {
            out.writeByte(SHUFFLE_COMPLETED);
            out.writeInt(shuffle.shuffleId());
            out.writeInt(shuffle.numMaps());
            out.writeInt(shuffle.numReduces());
            out.writeUTF(shuffle.fingerprint());
            out.writeUTF(shuffle.callSite());
            ByteArrayOutputStream serialized = new ByteArrayOutputStream(64 * statuses.size() + 64);
            try (ObjectOutputStream oos = new ObjectOutputStream(serialized)) {
                oos.writeObject(statuses.toArray(new MapStatus[0]));
            }
            out.writeInt(serialized.size());
            serialized.writeTo(out);
            ByteArrayOutputStream updates = new ByteArrayOutputStream(64);
            try (ObjectOutputStream oos = new ObjectOutputStream(updates)) {
                java.util.ArrayList<java.util.HashMap<Long, Object>> copy = new java.util.ArrayList<>();
                accumulatorUpdates.forEach(m -> copy.add(new java.util.HashMap<>(m)));
                oos.writeObject(copy);
            }
            out.writeInt(updates.size());
            updates.writeTo(out);
        });
    }

    private static byte[] frame(byte[] payload) {
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteArrayOutputStream framed = new ByteArrayOutputStream(payload.length + 8);
        try (DataOutputStream out = new DataOutputStream(framed)) {
            out.writeInt(payload.length);
            out.writeInt((int) crc.getValue());
            out.write(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return framed.toByteArray();
    }

    /**
     * Reads a journal.
     *
     * @param source        what to call the file in messages (its path)
     * @param expectedAppId the application reading it: a journal of another application is refused
     * @throws ForeignJournalException when the file is not a Weft journal or belongs to another application
     * @throws IOException             when reading fails
     */
    public static Contents read(InputStream stream, String expectedAppId, String source) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[MAGIC.length];
        int got = in.readNBytes(magic, 0, magic.length);
        if (got == 0) {
            return new Contents(Map.of(), 0, source + " is empty (its driver died before writing to it)");
        }
        if (got < magic.length || !Arrays.equals(magic, MAGIC)) {
            throw new ForeignJournalException(source + " is not a Weft driver journal (no WEFTJRN1 header)");
        }
        String appId;
        try {
            appId = in.readUTF();
        } catch (EOFException e) {
            return new Contents(Map.of(), 0, source + " ends inside its header");
        }
        if (!appId.equals(expectedAppId)) {
            throw new ForeignJournalException(
                    source + " is the journal of application " + appId + ", not of " + expectedAppId);
        }
        Map<ShuffleLineage, List<MapStatus>> shuffles = new LinkedHashMap<>();
        Map<ShuffleLineage, List<Map<Long, Object>>> updates = new LinkedHashMap<>();
        Map<String, Output> outputs = new LinkedHashMap<>();
        int records = 0;
        while (true) {
            byte[] lengthBytes = in.readNBytes(4);
            if (lengthBytes.length == 0) {
                return new Contents(shuffles, updates, outputs, records, null);
            }
            String damage = null;
            int length = lengthBytes.length < 4
                    ? -1
                    : java.nio.ByteBuffer.wrap(lengthBytes).getInt();
            try {
                if (lengthBytes.length < 4) {
                    damage = "a record cut off inside its length";
                } else if (length < 1 || length > MAX_RECORD_BYTES) {
                    damage = "a record length of " + length + " bytes";
                } else {
                    int expectedCrc = in.readInt();
                    byte[] payload = in.readNBytes(length);
                    if (payload.length < length) {
                        damage = "a record cut off after " + payload.length + " of " + length + " bytes";
                    } else {
                        CRC32 crc = new CRC32();
                        crc.update(payload);
                        if ((int) crc.getValue() != expectedCrc) {
                            damage = "a record whose checksum does not match";
                        } else {
                            decode(payload, shuffles, updates, outputs);
                            records++;
                        }
                    }
                }
            } catch (EOFException e) {
                damage = "a record cut off inside its frame";
            } catch (IOException | RuntimeException e) {
                damage = "a record that does not decode (" + e + ")";
            }
            if (damage != null) {
                return new Contents(
                        shuffles,
                        updates,
                        outputs,
                        records,
                        source + " is damaged after " + records + " whole records: " + damage);
            }
        }
    }

    private static void decode(
            byte[] payload,
            Map<ShuffleLineage, List<MapStatus>> shuffles,
            Map<ShuffleLineage, List<Map<Long, Object>>> updates,
            Map<String, Output> outputs)
            throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        byte type = in.readByte();
        if (type == OUTPUT_STARTED) {
            Output o = new Output(in.readUTF(), in.readUTF(), in.readUTF(), in.readInt(), false);
            outputs.put(o.path(), o);
            return;
        }
        if (type == OUTPUT_COMMITTED) {
            String path = in.readUTF();
            String token = in.readUTF();
            Output started = outputs.get(path);
            if (started == null || !started.jobToken().equals(token)) {
                throw new IOException("a commit of " + path + " under " + token + ", which this journal never began");
            }
            outputs.put(path, new Output(path, token, started.fingerprint(), started.partitions(), true));
            return;
        }
        if (type != SHUFFLE_COMPLETED) {
            throw new IOException("unknown record type " + type);
        }
        ShuffleLineage lineage =
                new ShuffleLineage(in.readInt(), in.readInt(), in.readInt(), in.readUTF(), in.readUTF());
        byte[] serialized = in.readNBytes(in.readInt());
        MapStatus[] statuses;
        try (ObjectInputStream ois = new ObjectInputStream(new ByteArrayInputStream(serialized))) {
            ois.setObjectInputFilter(JournalFile::onlyMapStatuses);
            Object o = ois.readObject();
            if (!(o instanceof MapStatus[] array)) {
                throw new IOException("expected map statuses, got " + (o == null ? "null" : o.getClass()));
            }
            statuses = array;
        } catch (ClassNotFoundException e) {
            throw new IOException("class not found: " + e.getMessage(), e);
        }
        List<Map<Long, Object>> accumulatorUpdates = decodeUpdates(in.readNBytes(in.readInt()));
        shuffles.remove(lineage); // re-inserted last: the order is that of the latest records
        shuffles.put(lineage, List.of(statuses));
        updates.put(lineage, accumulatorUpdates);
    }

    /**
     * Accumulator values are whatever tasks report (user types in a collection accumulator), so they are read as task
     * results are: the engine's deserialization filter, classes from the program's class loader.
     */
    private static List<Map<Long, Object>> decodeUpdates(byte[] bytes) throws IOException {
        try (ObjectInputStream ois =
                new dev.weft.serde.ValueSerializer.ContextObjectInputStream(new ByteArrayInputStream(bytes))) {
            Object o = ois.readObject();
            if (!(o instanceof List<?> list)) {
                throw new IOException("expected accumulator updates, got " + (o == null ? "null" : o.getClass()));
            }
            List<Map<Long, Object>> out = new java.util.ArrayList<>(list.size());
            for (Object m : list) {
                if (!(m instanceof Map<?, ?> map)) {
                    throw new IOException("expected a map of accumulator updates, got " + m);
                }
                Map<Long, Object> copy = new java.util.HashMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    if (!(e.getKey() instanceof Long id)) {
                        throw new IOException("an accumulator id that is not a long: " + e.getKey());
                    }
                    copy.put(id, e.getValue());
                }
                out.add(copy);
            }
            return out;
        } catch (ClassNotFoundException e) {
            throw new IOException("class not found: " + e.getMessage(), e);
        }
    }

    /** Java deserialization limited to what a map status is made of. */
    private static ObjectInputFilter.Status onlyMapStatuses(ObjectInputFilter.FilterInfo info) {
        if (info.depth() > 8 || info.arrayLength() > 1 << 24) {
            return ObjectInputFilter.Status.REJECTED;
        }
        Class<?> c = info.serialClass();
        if (c == null) {
            return ObjectInputFilter.Status.UNDECIDED;
        }
        while (c.isArray()) {
            c = c.getComponentType();
        }
        return c.isPrimitive() || c == String.class || c.getName().startsWith("dev.weft.shuffle.")
                ? ObjectInputFilter.Status.ALLOWED
                : ObjectInputFilter.Status.REJECTED;
    }
}
