package dev.weft.yarn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads what the driver and executors run: the program's jar and Weft's own jars. Jars are stored once
 * under {@code <staging root>/cache/<sha256>.jar} and reused by later submissions while unchanged; the
 * per-application directory {@code <staging root>/<appId>} (mode 700) is removed by the driver at the end.
 * A class directory (tests, IDE runs) is packed into a jar first. Not thread-safe.
 */
final class Staging {
    private static final Logger LOG = LoggerFactory.getLogger(Staging.class);
    private static final FsPermission OWNER_ONLY = new FsPermission((short) 0700);

    private Staging() {}

    static Path root(Configuration conf, String configured) throws IOException {
        if (configured != null) {
            return new Path(configured);
        }
        FileSystem fs = FileSystem.get(conf);
        return new Path(fs.getHomeDirectory(), ".weftStaging");
    }

    /** Uploads (or reuses) the code sources of the given classes; returns link name to staged path. */
    static StagingInfo stage(Configuration conf, Path root, String appId, Class<?>... classes) throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        Path appDir = new Path(root, appId);
        fs.mkdirs(appDir, OWNER_ONLY);
        fs.setPermission(appDir, OWNER_ONLY);
        Path cache = new Path(root, "cache");
        fs.mkdirs(cache, OWNER_ONLY);
        // Each code source once, with the first class found there (to recognise RunJar's unpacked program jar).
        Map<java.nio.file.Path, Class<?>> sources = new LinkedHashMap<>();
        for (Class<?> c : classes) {
            java.nio.file.Path src = Jars.codeSource(c);
            if (src != null) {
                sources.putIfAbsent(src, c);
            }
        }
        Map<String, StagedResource> resources = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<java.nio.file.Path, Class<?>> source : sources.entrySet()) {
            java.nio.file.Path src = source.getKey();
            java.nio.file.Path jar = src;
            boolean packed = false;
            if (Files.isDirectory(src)) {
                java.util.Optional<java.nio.file.Path> original = Jars.jarUnpackedInto(src, source.getValue());
                packed = original.isEmpty();
                jar = packed ? Jars.pack(src) : original.get();
            }
            Path staged = cached(fs, cache, jar, sha256(jar) + ".jar", appId);
            if (packed) {
                Files.deleteIfExists(jar);
            }
            java.nio.file.Path named = packed ? src : jar;
            resources.put(
                    String.format(Locale.ROOT, "weft-%02d-%s", i++, named.getFileName())
                                    .replaceAll("[^A-Za-z0-9._-]", "_")
                            + (named.toString().endsWith(".jar") ? "" : ".jar"),
                    StagedResource.cachedFile(fs.makeQualified(staged).toString()));
        }
        return new StagingInfo(fs.makeQualified(appDir).toString(), resources);
    }

    /**
     * Uploads a local file into the content-addressed cache under the staging root (or finds it there) and returns
     * its staged path. {@code name} keeps what the NodeManager reads from the name (an archive's extension).
     */
    static Path cacheFile(Configuration conf, Path root, java.nio.file.Path local, String appId) throws IOException {
        FileSystem fs = root.getFileSystem(conf);
        Path cache = new Path(root, "cache");
        fs.mkdirs(cache, OWNER_ONLY);
        String name = local.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        return fs.makeQualified(cached(fs, cache, local, sha256(local) + "-" + name, appId));
    }

    /** The job's effective configuration as {@code <appDir>/job.xml}, readable by the user only (it may hold keys). */
    static Path writeJobConfiguration(Configuration conf, Configuration job, String appDir) throws IOException {
        Path file = new Path(appDir, "job.xml");
        FileSystem fs = file.getFileSystem(conf);
        try (OutputStream out = FileSystem.create(fs, file, new FsPermission((short) 0600))) {
            job.writeXml(out);
        }
        return fs.makeQualified(file);
    }

    private static Path cached(FileSystem fs, Path cache, java.nio.file.Path local, String name, String appId)
            throws IOException {
        Path staged = new Path(cache, name);
        if (!fs.exists(staged)) {
            Path tmp = new Path(cache, "." + name + "." + appId + ".tmp");
            fs.copyFromLocalFile(false, true, new Path(local.toUri()), tmp);
            if (!fs.rename(tmp, staged) && !fs.exists(staged)) {
                throw new IOException("cannot move " + tmp + " to " + staged);
            }
            fs.delete(tmp, false);
            LOG.info("uploaded {} as {}", local, staged);
        } else {
            LOG.info("reusing {} for {}", staged, local);
        }
        return staged;
    }

    private static String sha256(java.nio.file.Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of()
                    .formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
