package dev.weft.shuffle.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestConfiguredLocalDirs {
    @Test
    void findsAFileInAnyConfiguredLocalDir(@TempDir Path tmp) throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.createDirectories(b.resolve("usercache/u/appcache/application_1_0001/weft/shuffle"));
        Path file = Files.writeString(b.resolve("usercache/u/appcache/application_1_0001/weft/shuffle/x.index"), "i");
        Configuration conf = new Configuration(false);
        conf.set("yarn.nodemanager.local-dirs", a + ", file:" + b);
        ConfiguredLocalDirs dirs = new ConfiguredLocalDirs(conf);
        String rel = "usercache/u/appcache/application_1_0001/weft/shuffle/x.index";
        assertEquals(file.toString(), dirs.getLocalPathForRead(rel).toUri().getPath());
        assertEquals(1, ((java.util.List<?>) dirs.getAllLocalPathsForRead(rel)).size());
        IOException e = assertThrows(IOException.class, () -> dirs.getLocalPathForRead("usercache/u/none"));
        assertEquals(true, e.getMessage().contains("none of the NodeManager's local dirs"));
    }
}
