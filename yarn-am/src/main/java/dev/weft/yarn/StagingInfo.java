package dev.weft.yarn;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What the client uploaded for an application: the per-application staging directory (deleted when the
 * driver ends) and the files every container localizes, as link name to file-system path. Travels to the
 * driver in its container environment.
 */
record StagingInfo(String appDir, Map<String, String> resources) {
    static final String ENV_DIR = "WEFT_STAGING_DIR";
    static final String ENV_RESOURCES = "WEFT_LOCAL_RESOURCES";

    StagingInfo {
        Objects.requireNonNull(appDir, "appDir is null");
        resources = Map.copyOf(resources);
    }

    /** {@code name=path,name=path}; paths never contain ',' or '=' (they are staging paths we chose). */
    String encodeResources() {
        StringBuilder sb = new StringBuilder();
        resources.forEach((k, v) ->
                sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return sb.toString();
    }

    static StagingInfo fromEnv(Map<String, String> env) {
        String dir = env.get(ENV_DIR);
        String res = env.getOrDefault(ENV_RESOURCES, "");
        if (dir == null) {
            throw new IllegalStateException("missing " + ENV_DIR + " in the driver's environment");
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (String part : res.split(",")) {
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalStateException("malformed " + ENV_RESOURCES + " entry: " + part);
            }
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return new StagingInfo(dir, m);
    }
}
