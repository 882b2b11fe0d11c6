package dev.weft.hdfs.input;

import dev.weft.io.InputPathException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Listing an input path and naming the hosts of a byte range, the same way for every file-based node. Stateless. */
final class InputFiles {
    private InputFiles() {}

    /**
     * The files of {@code path}: a file, a directory (its files, not recursively, without names starting with "_" or
     * ".", Hadoop's hidden files such as {@code _SUCCESS}) or a glob of either, sorted by name within a directory.
     *
     * @throws InputPathException when nothing matches
     */
    static List<FileStatus> list(String path, Configuration conf) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        FileStatus[] matches = fs.globStatus(p);
        if (matches == null || matches.length == 0) {
            throw new InputPathException("input path does not exist: " + fs.makeQualified(p));
        }
        List<FileStatus> files = new ArrayList<>();
        for (FileStatus m : matches) {
            if (m.isDirectory()) {
                FileStatus[] children = fs.listStatus(
                        m.getPath(),
                        q -> !q.getName().startsWith("_") && !q.getName().startsWith("."));
                Arrays.sort(children);
                for (FileStatus c : children) {
                    if (c.isFile()) {
                        files.add(c);
                    }
                }
            } else {
                files.add(m);
            }
        }
        return files;
    }

    /** The hosts holding the blocks of {@code len} bytes of {@code f} from {@code start}. */
    static List<String> hosts(FileSystem fs, FileStatus f, long start, long len) throws IOException {
        LinkedHashSet<String> hosts = new LinkedHashSet<>();
        for (BlockLocation b : fs.getFileBlockLocations(f, start, Math.max(1, len))) {
            hosts.addAll(Arrays.asList(b.getHosts()));
        }
        return withoutLocalhost(hosts);
    }

    /**
     * The local file system reports "localhost" for every block of every file: it names no machine, so as a preference
     * it would only make delay scheduling wait for an executor on a host of that name. Local files therefore have no
     * preferred hosts and their tasks run NO_PREF (LocalityTest).
     */
    static List<String> withoutLocalhost(Collection<String> hosts) {
        List<String> out = new ArrayList<>(new LinkedHashSet<>(hosts));
        out.remove("localhost");
        return out;
    }
}
