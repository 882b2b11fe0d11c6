package dev.weft.hdfs;

import dev.weft.hdfs.input.TextFileNode;
import dev.weft.hdfs.output.PartFileCommitter;
import dev.weft.hdfs.output.PartFormat;
import dev.weft.io.FileFormats;
import dev.weft.io.InputSource;
import dev.weft.io.OutputCommitProtocol;

/** The text format behind {@code WeftContext.textFile} and {@code Dataset.saveAsTextFile} (a ServiceLoader provider). */
public final class HdfsFileFormats implements FileFormats {
    @Override
    public InputSource<String> textFile(String path, int minPartitions) {
        return (id, callSite, conf) -> TextFileNode.lines(id, callSite, path, minPartitions, conf);
    }

    @Override
    public OutputCommitProtocol.Factory textOutput() {
        return PartFileCommitter.factory(PartFormat.TextLines.PLAIN);
    }
}
