package dev.weft.yarn;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsAction;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;

/**
 * The files Hadoop's generic options name, as Hadoop's {@code GenericOptionsParser} leaves them in the job's
 * configuration ({@code -files} → {@value #FILES}, {@code -libjars} → {@value #JARS}, {@code -archives} → {@value
 * #ARCHIVES}: comma-separated, qualified URIs, each with an optional {@code #link} fragment), turned into what every
 * container localizes, with MapReduce's meaning:
 *
 * <ul>
 *   <li>a file or jar lands in the container's working directory under its name (or its fragment); the working
 *       directory and its jars are on every container's class path, so a {@code -libjars} jar is on the tasks'
 *       class path;
 *   <li>an archive ({@code .zip}, {@code .jar}, {@code .tar.gz}, {@code .tgz}, {@code .tar}) is unpacked into a
 *       directory of that name.
 * </ul>
 *
 * <p>A local file is uploaded into the staging cache (content-addressed, so it is reused while unchanged) and
 * localized PRIVATE (the staging directory is the user's alone). A file already on a cluster file system is used
 * where it is, PUBLIC when everyone may read it and every directory above it (then one copy per node serves every
 * user, as Hadoop decides), PRIVATE otherwise. Stateless.
 */
final class GenericResources {
    static final String FILES = "tmpfiles";
    static final String JARS = "tmpjars";
    static final String ARCHIVES = "tmparchives";

    private GenericResources() {}

    /** Stages what {@code job} names; returns link name to resource. Client side. */
    static Map<String, StagedResource> stage(Configuration job, Path stagingRoot, String appId) throws IOException {
        Map<String, StagedResource> out = new LinkedHashMap<>();
        add(out, job, FILES, "-files", LocalResourceType.FILE, stagingRoot, appId);
        add(out, job, JARS, "-libjars", LocalResourceType.FILE, stagingRoot, appId);
        add(out, job, ARCHIVES, "-archives", LocalResourceType.ARCHIVE, stagingRoot, appId);
        return out;
    }

    private static void add(
            Map<String, StagedResource> out,
            Configuration job,
            String key,
            String option,
            LocalResourceType type,
            Path stagingRoot,
            String appId)
            throws IOException {
        for (String entry : job.getTrimmedStrings(key)) {
            URI uri;
            Path path;
            try {
                uri = new URI(entry);
                path = new Path(new URI(uri.getScheme(), uri.getAuthority(), uri.getPath(), null, null));
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(option + ": '" + entry + "' is not a valid path: " + e.getMessage());
            }
            String link = uri.getFragment() != null ? uri.getFragment() : path.getName();
            checkLink(option, entry, link);
            StagedResource resource;
            if (uri.getScheme() == null || "file".equals(uri.getScheme())) {
                java.nio.file.Path local = java.nio.file.Path.of(uri.getPath());
                if (!java.nio.file.Files.isRegularFile(local)) {
                    throw new IllegalArgumentException(option + ": " + local + " is not a file"
                            + (java.nio.file.Files.isDirectory(local)
                                    ? " (a directory: pack it and use -archives)"
                                    : ""));
                }
                resource = new StagedResource(
                        Staging.cacheFile(job, stagingRoot, local, appId).toString(),
                        type,
                        LocalResourceVisibility.PRIVATE);
            } else {
                FileSystem fs = path.getFileSystem(job);
                FileStatus status;
                try {
                    status = fs.getFileStatus(path);
                } catch (java.io.FileNotFoundException e) {
                    throw new IllegalArgumentException(option + ": " + path + " does not exist", e);
                }
                Path qualified = status.getPath();
                resource = new StagedResource(qualified.toString(), type, visibility(fs, status));
            }
            StagingInfo.putUnique(out, link, resource);
        }
    }

    /** The name a container sees: one path segment, never one of Weft's own files. */
    private static void checkLink(String option, String entry, String link) {
        if (link.isEmpty() || link.contains("/") || link.equals(".") || link.equals("..")) {
            throw new IllegalArgumentException(
                    option + ": '" + entry + "' would be localized as '" + link + "', which is not a file name");
        }
        if (link.startsWith("weft-")) {
            throw new IllegalArgumentException(option + ": '" + entry + "' would be localized as '" + link
                    + "'; names starting with weft- are Weft's own (give it another name with a #fragment)");
        }
    }

    /**
     * PUBLIC when the file is readable by everyone and every directory above it can be traversed by everyone
     * (MapReduce's rule: the NodeManager's public cache must be able to read it as any user); PRIVATE otherwise.
     */
    static LocalResourceVisibility visibility(FileSystem fs, FileStatus file) throws IOException {
        if (!file.getPermission().getOtherAction().implies(FsAction.READ)) {
            return LocalResourceVisibility.PRIVATE;
        }
        for (Path dir = file.getPath().getParent(); dir != null; dir = dir.getParent()) {
            if (!fs.getFileStatus(dir).getPermission().getOtherAction().implies(FsAction.EXECUTE)) {
                return LocalResourceVisibility.PRIVATE;
            }
        }
        return LocalResourceVisibility.PUBLIC;
    }
}
