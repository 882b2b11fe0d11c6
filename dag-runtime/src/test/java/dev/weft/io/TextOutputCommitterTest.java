package dev.weft.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Task and job commit on the local file system, including attempts that finish late. */
class TextOutputCommitterTest {
    @TempDir
    Path dir;

    private final Configuration conf = new Configuration();

    private String read(Path file) throws Exception {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void theFirstAttemptToCommitAPartitionWinsAndALateOneLeavesNothingBehind() throws Exception {
        Path out = dir.resolve("out");
        TextOutputCommitter c = new TextOutputCommitter(out.toString(), 3);
        c.setupJob(conf);
        c.writeAndCommitTask(List.of("a", "b").iterator(), 0, 10L, conf);
        // A second attempt of partition 0 (a zombie of a failed stage attempt) finishes after the first.
        c.writeAndCommitTask(List.of("late").iterator(), 0, 11L, conf);
        c.writeAndCommitTask(List.of("c").iterator(), 1, 12L, conf);
        c.commitJob(conf, 2);

        assertEquals("a\nb\n", read(out.resolve("part-00000")));
        assertEquals("c\n", read(out.resolve("part-00001")));
        assertTrue(Files.exists(out.resolve(TextOutputCommitter.SUCCESS)));
        assertFalse(Files.exists(out.resolve("_temporary")));

        // And one that finishes after the job committed must not bring _temporary back.
        c.writeAndCommitTask(List.of("later").iterator(), 1, 13L, conf);
        assertFalse(Files.exists(out.resolve("_temporary")), "nothing written under _temporary after the commit");
        assertEquals("c\n", read(out.resolve("part-00001")));
    }
}
