package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.yarn.api.records.LocalResource;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContainerSpecsTest {
    @Test
    void stagedJarsAreLocalizedPrivatelySoNodeManagersKeepThemAcrossApplications(@TempDir Path dir) throws IOException {
        Path jar = Files.write(dir.resolve("0123abcd.jar"), new byte[] {1, 2, 3, 4, 5});
        Map<String, LocalResource> out = ContainerSpecs.localResources(
                new Configuration(false),
                Map.of("weft-00-app.jar", StagedResource.cachedFile(jar.toUri().toString())));
        LocalResource r = out.get("weft-00-app.jar");
        assertEquals(LocalResourceVisibility.PRIVATE, r.getVisibility());
        assertEquals(LocalResourceType.FILE, r.getType());
        assertEquals(5, r.getSize());
        assertEquals(Files.getLastModifiedTime(jar).toMillis(), r.getTimestamp());
        assertTrue(
                r.getResource().getFile().endsWith("0123abcd.jar"),
                r.getResource().toString());
    }

    @Test
    void aMissingStagedJarFailsNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("gone.jar");
        FileNotFoundException e = assertThrows(
                FileNotFoundException.class,
                () -> ContainerSpecs.localResources(
                        new Configuration(false),
                        Map.of(
                                "weft-00-app.jar",
                                StagedResource.cachedFile(missing.toUri().toString()))));
        assertTrue(e.getMessage().contains("gone.jar"), e.getMessage());
    }
}
