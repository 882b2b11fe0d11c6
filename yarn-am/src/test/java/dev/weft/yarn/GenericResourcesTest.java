package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenericResourcesTest {
    private static Configuration conf(String files, String jars, String archives) {
        Configuration c = new Configuration(false);
        c.set("fs.file.impl.disable.cache", "true");
        if (files != null) {
            c.set(GenericResources.FILES, files);
        }
        if (jars != null) {
            c.set(GenericResources.JARS, jars);
        }
        if (archives != null) {
            c.set(GenericResources.ARCHIVES, archives);
        }
        return c;
    }

    @Test
    void localFilesAreUploadedOnceIntoTheCacheAndLinkedByNameOrFragment(@TempDir Path dir) throws IOException {
        Path lookup = Files.writeString(dir.resolve("lookup.txt"), "a=1\n");
        Path lib = Files.write(dir.resolve("udf.jar"), new byte[] {1, 2, 3});
        Path dict = Files.write(dir.resolve("dict.zip"), new byte[] {4, 5});
        org.apache.hadoop.fs.Path root =
                new org.apache.hadoop.fs.Path(dir.resolve("staging").toUri());
        Configuration c = conf(
                lookup.toUri() + "," + lookup.toUri() + "#renamed.txt",
                lib.toUri().toString(),
                dict.toUri().toString());

        Map<String, StagedResource> out = GenericResources.stage(c, root, "application_1_0001");

        assertEquals(List.of("lookup.txt", "renamed.txt", "udf.jar", "dict.zip"), List.copyOf(out.keySet()));
        assertEquals(LocalResourceType.FILE, out.get("lookup.txt").type());
        assertEquals(LocalResourceType.FILE, out.get("udf.jar").type());
        assertEquals(LocalResourceType.ARCHIVE, out.get("dict.zip").type());
        out.values().forEach(r -> assertEquals(LocalResourceVisibility.PRIVATE, r.visibility()));
        // one upload per content, named so the NodeManager still sees an archive's extension
        assertEquals(out.get("lookup.txt").path(), out.get("renamed.txt").path());
        assertTrue(
                out.get("dict.zip").path().endsWith("-dict.zip"),
                out.get("dict.zip").path());
        FileSystem fs = root.getFileSystem(c);
        assertEquals(
                "a=1\n",
                new String(
                        fs.open(new org.apache.hadoop.fs.Path(
                                        out.get("lookup.txt").path()))
                                .readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
        // staged again unchanged: the same cached file
        assertEquals(out, GenericResources.stage(c, root, "application_1_0002"));
    }

    @Test
    void aMissingFileOrAClashingNameFailsNamingIt(@TempDir Path dir) throws IOException {
        org.apache.hadoop.fs.Path root =
                new org.apache.hadoop.fs.Path(dir.resolve("staging").toUri());
        IllegalArgumentException missing = assertThrows(
                IllegalArgumentException.class,
                () -> GenericResources.stage(
                        conf(dir.resolve("nope.txt").toUri().toString(), null, null), root, "a"));
        assertTrue(
                missing.getMessage().contains("-files") && missing.getMessage().contains("nope.txt"),
                missing.getMessage());

        Path a = Files.writeString(Files.createDirectories(dir.resolve("a")).resolve("x.txt"), "a");
        Path b = Files.writeString(Files.createDirectories(dir.resolve("b")).resolve("x.txt"), "b");
        IllegalArgumentException clash = assertThrows(
                IllegalArgumentException.class,
                () -> GenericResources.stage(conf(a.toUri() + "," + b.toUri(), null, null), root, "a"));
        assertTrue(clash.getMessage().contains("'x.txt'"), clash.getMessage());

        IllegalArgumentException ours = assertThrows(
                IllegalArgumentException.class,
                () -> GenericResources.stage(conf(a.toUri() + "#weft-job.xml", null, null), root, "a"));
        assertTrue(ours.getMessage().contains("weft-"), ours.getMessage());
    }

    @Test
    void aFileOnAClusterFileSystemIsPublicOnlyWhenEveryoneCanReachIt(@TempDir Path dir) throws IOException {
        Configuration c = new Configuration(false);
        // A "remote" file system the client does not copy from: the local one under another scheme.
        c.set("fs.rawlocal.impl", org.apache.hadoop.fs.RawLocalFileSystem.class.getName());
        Path shared = Files.writeString(dir.resolve("shared.txt"), "s");
        FileSystem fs = FileSystem.getLocal(c).getRawFileSystem();
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rw-r--r--"));
        Path closed = Files.writeString(dir.resolve("closed.txt"), "c");
        Files.setPosixFilePermissions(closed, PosixFilePermissions.fromString("rw-------"));
        org.apache.hadoop.fs.Path sharedPath = new org.apache.hadoop.fs.Path(shared.toUri());
        org.apache.hadoop.fs.Path closedPath = new org.apache.hadoop.fs.Path(closed.toUri());
        assertEquals(LocalResourceVisibility.PRIVATE, GenericResources.visibility(fs, fs.getFileStatus(closedPath)));
        boolean ancestorsOpen = true;
        for (Path p = dir; p != null; p = p.getParent()) {
            ancestorsOpen &= Files.getPosixFilePermissions(p)
                    .contains(java.nio.file.attribute.PosixFilePermission.OTHERS_EXECUTE);
        }
        assertEquals(
                ancestorsOpen ? LocalResourceVisibility.PUBLIC : LocalResourceVisibility.PRIVATE,
                GenericResources.visibility(fs, fs.getFileStatus(sharedPath)));
    }
}
