package dev.weft.yarn;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.yarn.api.records.LocalResourceType;
import org.apache.hadoop.yarn.api.records.LocalResourceVisibility;

/**
 * What the client uploaded for an application: the per-application staging directory (deleted when the
 * driver ends) and the files every container localizes, by link name (the name in the container's working
 * directory). Travels to the driver in its container environment.
 */
record StagingInfo(String appDir, Map<String, StagedResource> resources) {
    static final String ENV_DIR = "WEFT_STAGING_DIR";
    static final String ENV_RESOURCES = "WEFT_LOCAL_RESOURCES";

    StagingInfo {
        Objects.requireNonNull(appDir, "appDir is null");
        resources = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(resources));
    }

    /**
     * {@code link=TYPE/VISIBILITY/path,…}, link and path URL-encoded: a user's {@code -files} path may hold any
     * character.
     */
    String encodeResources() {
        StringBuilder sb = new StringBuilder();
        resources.forEach((link, r) -> sb.append(sb.length() == 0 ? "" : ",")
                .append(URLEncoder.encode(link, StandardCharsets.UTF_8))
                .append('=')
                .append(r.type())
                .append('/')
                .append(r.visibility())
                .append('/')
                .append(URLEncoder.encode(r.path(), StandardCharsets.UTF_8)));
        return sb.toString();
    }

    static StagingInfo fromEnv(Map<String, String> env) {
        String dir = env.get(ENV_DIR);
        String res = env.getOrDefault(ENV_RESOURCES, "");
        if (dir == null) {
            throw new IllegalStateException("missing " + ENV_DIR + " in the driver's environment");
        }
        Map<String, StagedResource> m = new LinkedHashMap<>();
        for (String part : res.split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String[] value = eq <= 0 ? new String[0] : part.substring(eq + 1).split("/", 3);
            if (value.length != 3) {
                throw new IllegalStateException("malformed " + ENV_RESOURCES + " entry: " + part);
            }
            try {
                m.put(
                        URLDecoder.decode(part.substring(0, eq), StandardCharsets.UTF_8),
                        new StagedResource(
                                URLDecoder.decode(value[2], StandardCharsets.UTF_8),
                                LocalResourceType.valueOf(value[0]),
                                LocalResourceVisibility.valueOf(value[1])));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("malformed " + ENV_RESOURCES + " entry: " + part, e);
            }
        }
        return new StagingInfo(dir, m);
    }

    /** A copy with more resources; a link name already taken fails, naming both files. */
    StagingInfo with(Map<String, StagedResource> more) {
        Map<String, StagedResource> all = new LinkedHashMap<>(resources);
        more.forEach((link, resource) -> putUnique(all, link, resource));
        return new StagingInfo(appDir, all);
    }

    /**
     * Adds {@code resource} as {@code link}; a link name already taken fails, naming both files.
     *
     * @throws IllegalArgumentException when {@code link} is taken
     */
    static void putUnique(Map<String, StagedResource> resources, String link, StagedResource resource) {
        StagedResource previous = resources.putIfAbsent(link, resource);
        if (previous != null) {
            throw new IllegalArgumentException("two files would be localized as '" + link + "': " + previous.path()
                    + " and " + resource.path() + "; rename one, or give it another name with a #fragment");
        }
    }
}
