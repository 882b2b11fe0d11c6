package dev.weft.hdfs.rows;

import dev.weft.io.InputPathException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The first file an input path names (a file, or the first visible file of a directory or glob, by name), where the
 * driver learns a table's columns: a Parquet footer, a CSV header. Stateless.
 */
public final class FirstFile {
    private FirstFile() {}

    /** @throws InputPathException when the path names no file */
    public static Path of(String path, Configuration conf) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus[] matches = fs.globStatus(p);
            if (matches != null) {
                Arrays.sort(matches);
                for (FileStatus m : matches) {
                    if (m.isFile()) {
                        return m.getPath();
                    }
                    FileStatus[] children = fs.listStatus(
                            m.getPath(),
                            q -> !q.getName().startsWith("_") && !q.getName().startsWith("."));
                    Arrays.sort(children);
                    for (FileStatus c : children) {
                        if (c.isFile()) {
                            return c.getPath();
                        }
                    }
                }
            }
            throw new InputPathException("input path does not exist or holds no file: " + fs.makeQualified(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + path + ": " + e.getMessage(), e);
        }
    }

    /** The first line of the first file (UTF-8, decompressed by its codec), or "" for an empty file. */
    public static String firstLine(String path, Configuration conf) {
        Path file = of(path, conf);
        try {
            FileSystem fs = file.getFileSystem(conf);
            org.apache.hadoop.io.compress.CompressionCodec codec =
                    new org.apache.hadoop.io.compress.CompressionCodecFactory(conf).getCodec(file);
            java.io.InputStream raw = fs.open(file);
            java.io.InputStream in = codec == null ? raw : codec.createInputStream(raw);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line = r.readLine();
                return line == null ? "" : line;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the first line of " + file + ": " + e.getMessage(), e);
        }
    }
}
