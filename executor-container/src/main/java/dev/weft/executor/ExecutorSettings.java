package dev.weft.executor;

import dev.weft.transport.auth.AuthSecret;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything an executor needs to start: its arguments plus what the container's environment says (see
 * {@link ExecutorMain} for the variables).
 *
 * @param localDirs   the NodeManager's local dirs for this application; never empty
 * @param containerId the YARN container id, or "" outside YARN
 * @param host        the host name reported to the driver (and stored in map statuses)
 */
public record ExecutorSettings(
        ExecutorArgs args, AuthSecret secret, List<Path> localDirs, String containerId, String host) {
    public static final String LOCAL_DIRS = "LOCAL_DIRS";
    public static final String CONTAINER_ID = "CONTAINER_ID";
    public static final String NM_HOST = "NM_HOST";

    public ExecutorSettings {
        Objects.requireNonNull(args, "args is null");
        Objects.requireNonNull(secret, "secret is null");
        localDirs = List.copyOf(localDirs);
        Objects.requireNonNull(containerId, "containerId is null");
        Objects.requireNonNull(host, "host is null");
        if (localDirs.isEmpty()) {
            throw new IllegalArgumentException("no local dirs");
        }
    }

    /**
     * Reads the environment.
     *
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static ExecutorSettings fromEnvironment(ExecutorArgs args, Map<String, String> env) {
        return fromEnvironment(args, env, null);
    }

    /**
     * Reads the environment; the secret from {@code credentialSecret} when the container's credentials carry one
     * (YARN), else from {@value AuthSecret#ENV_VAR} (outside YARN).
     *
     * @throws IllegalArgumentException naming the variable that is missing or malformed
     */
    public static ExecutorSettings fromEnvironment(
            ExecutorArgs args, Map<String, String> env, byte[] credentialSecret) {
        AuthSecret secret = credentialSecret != null
                ? new AuthSecret(credentialSecret)
                : AuthSecret.fromBase64(env.get(AuthSecret.ENV_VAR));
        List<Path> dirs = new ArrayList<>();
        String localDirs = env.get(LOCAL_DIRS);
        if (localDirs != null && !localDirs.isBlank()) {
            for (String d : localDirs.split(",")) {
                if (!d.isBlank()) {
                    dirs.add(Path.of(d.trim()));
                }
            }
        }
        if (dirs.isEmpty()) {
            // Only outside YARN (tests, manual runs): the NodeManager always sets LOCAL_DIRS.
            try {
                dirs.add(Files.createTempDirectory("weft-executor-"));
            } catch (IOException e) {
                throw new UncheckedIOException(LOCAL_DIRS + " is not set and no temporary directory can be created", e);
            }
        }
        String host = env.get(NM_HOST);
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        NM_HOST + " is not set and the local host name cannot be resolved", e);
            }
        }
        return new ExecutorSettings(args, secret, dirs, env.getOrDefault(CONTAINER_ID, ""), host);
    }

    /**
     * {@code <local dir>/weft/shuffle} for every local dir, in the container's order: map output, spread over them
     * (see {@code ShuffleFiles}) and kept after the executor exits for the shuffle service, which searches all of its
     * NodeManager's local dirs.
     */
    public List<Path> shuffleDirs() {
        return localDirs.stream().map(d -> d.resolve("weft").resolve("shuffle")).toList();
    }

    /**
     * {@code <first local dir>/weft/tmp/<executorId>}: spills and disk-cached blocks. Per executor because
     * executors of one application on one node share the local dirs and cached block files are named by
     * dataset and partition only.
     */
    public Path tmpDir() {
        return localDirs.get(0).resolve("weft").resolve("tmp").resolve(args.executorId());
    }
}
