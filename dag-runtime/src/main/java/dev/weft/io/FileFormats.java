package dev.weft.io;

import java.util.ServiceLoader;

/**
 * The text format {@code WeftContext.textFile} and {@code Dataset.saveAsTextFile} use, found through {@link
 * ServiceLoader}: the engine core only knows these interfaces, the reader and committer live in the hdfs-io module
 * ({@code dev.weft:weft-hdfs-io}, which every YARN application has through weft-yarn-am).
 */
public interface FileFormats {
    /** Lines of the files under {@code path} (a file, a directory or a glob), in at least {@code minPartitions} splits. */
    InputSource<String> textFile(String path, int minPartitions);

    /** Each record's {@code String.valueOf} as one line of a part file. */
    OutputCommitProtocol.Factory textOutput();

    /** The installed provider; fails naming the missing module when there is none. */
    static FileFormats installed() {
        return InstalledFileFormats.get();
    }
}
