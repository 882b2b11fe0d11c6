package dev.weft.hdfs.rows;

import dev.weft.hdfs.output.PartFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Objects;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.orc.CompressionKind;
import org.apache.orc.OrcFile;
import org.apache.orc.TypeDescription;
import org.apache.orc.Writer;
import org.apache.orc.impl.PhysicalFsWriter;
import org.apache.orc.impl.writer.WriterEncryptionVariant;
import org.apache.orc.storage.ql.exec.vector.VectorizedRowBatch;

/**
 * An ORC file per partition, of {@link Row}s of one schema, written by ORC's own writer (in row batches) into the
 * part file {@link dev.weft.hdfs.output.PartFileCommitter} opened. Immutable.
 */
public record OrcPartFormat(RowSchema schema, String compression) implements PartFormat {
    public OrcPartFormat {
        Objects.requireNonNull(schema, "schema is null");
        CompressionKind.valueOf(compression); // fails naming the codec, on the driver
    }

    @Override
    public long write(Iterator<?> records, OutputStream out, Configuration conf) throws IOException {
        TypeDescription type = OrcRows.typeOf(schema);
        OrcFile.WriterOptions options =
                OrcFile.writerOptions(conf).setSchema(type).compress(CompressionKind.valueOf(compression));
        // ORC's writer writes to a stream of ours (the committer's part file) and closes only its wrapper.
        options.physicalWriter(new PhysicalFsWriter(
                new FSDataOutputStream(new NonClosingOutputStream(out), null),
                options,
                new WriterEncryptionVariant[0]));
        // The path only names the writer to ORC's memory manager; nothing is created there.
        Writer writer = OrcFile.createWriter(new Path("weft-orc-part-" + UUID.randomUUID()), options);
        long n = 0;
        try {
            VectorizedRowBatch batch = type.createRowBatch();
            while (records.hasNext()) {
                OrcRows.add(RowOutput.checked(records.next(), schema, "ORC"), batch);
                n++;
                if (batch.size == batch.getMaxSize()) {
                    writer.addRowBatch(batch);
                    batch.reset();
                }
            }
            if (batch.size > 0) {
                writer.addRowBatch(batch);
            }
        } finally {
            writer.close();
        }
        return n;
    }

    @Override
    public String extension() {
        return ".orc";
    }
}
