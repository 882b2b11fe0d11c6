package dev.weft.yarn;

import java.util.Objects;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;

/**
 * One file every container of an application localizes: where it lies (a qualified file-system path), whether the
 * NodeManager unpacks it, and who may share the NodeManager's copy.
 *
 * @param path fully qualified path of the file as staged (or as given, for a file already on a cluster file system)
 */
record StagedResource(String path, LocalResourceType type, LocalResourceVisibility visibility) {
    StagedResource {
        Objects.requireNonNull(path, "path is null");
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(visibility, "visibility is null");
        if (type == LocalResourceType.PATTERN) {
            throw new IllegalArgumentException("PATTERN resources are not used: " + path);
        }
    }

    /** A content-addressed file of the staging cache: PRIVATE, so later applications of the user reuse it. */
    static StagedResource cachedFile(String path) {
        return new StagedResource(path, LocalResourceType.FILE, LocalResourceVisibility.PRIVATE);
    }
}
