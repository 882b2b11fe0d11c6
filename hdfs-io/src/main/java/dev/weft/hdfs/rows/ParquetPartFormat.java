package dev.weft.hdfs.rows;

import dev.weft.hdfs.output.PartFormat;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Iterator;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.OutputFile;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;

/**
 * A Parquet file per partition, of {@link Row}s of one schema, written by Parquet's own writer into the part file
 * {@link dev.weft.hdfs.output.PartFileCommitter} opened (so the commit protocol is the same as text's). Immutable.
 */
public record ParquetPartFormat(RowSchema schema, String codec) implements PartFormat {
    public ParquetPartFormat {
        Objects.requireNonNull(schema, "schema is null");
        CompressionCodecName.valueOf(codec); // fails naming the codec, on the driver
    }

    @Override
    public long write(Iterator<?> records, OutputStream out, Configuration conf) throws IOException {
        MessageType type = ParquetRows.messageType(schema);
        SimpleGroupFactory groups = new SimpleGroupFactory(type);
        long n = 0;
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new StreamOutputFile(out))
                .withType(type)
                .withConf(conf)
                .withCompressionCodec(CompressionCodecName.valueOf(codec))
                .build()) {
            while (records.hasNext()) {
                writer.write(ParquetRows.toGroup(RowOutput.checked(records.next(), schema, "Parquet"), groups));
                n++;
            }
        }
        return n;
    }

    @Override
    public String extension() {
        return ".parquet";
    }

    /**
     * Parquet's output file over the stream the committer opened; closing it flushes and leaves the stream to the
     * committer. Not thread-safe (one writer).
     */
    private static final class StreamOutputFile implements OutputFile {
        private final OutputStream out;

        StreamOutputFile(OutputStream out) {
            this.out = out;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                long pos;

                @Override
                public long getPos() {
                    return pos;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    pos++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    pos += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.flush();
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
