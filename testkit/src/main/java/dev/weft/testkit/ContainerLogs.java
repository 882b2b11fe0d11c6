package dev.weft.testkit;

import static java.util.Objects.requireNonNull;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.yarn.api.records.ApplicationId;

/**
 * The log directory a NodeManager gave one container ({@code <nm-log-dir>/<application>/<container>}): the
 * container's {@code stdout} and {@code stderr} and the files it logs to itself ({@code driver.log} in the driver's,
 * {@code executor.log} in an executor's). Read from the NodeManagers' local directories, so it works without log
 * aggregation and while the container still runs.
 *
 * @param containerId the container's id as YARN prints it
 * @param dir         its log directory
 */
public record ContainerLogs(String containerId, Path dir) {
    public ContainerLogs {
        requireNonNull(containerId, "containerId is null");
        requireNonNull(dir, "dir is null");
    }

    /** The logs of every container of {@code app} found under {@code nodeManagerLogDirs}, ordered by container id. */
    static List<ContainerLogs> of(List<Path> nodeManagerLogDirs, ApplicationId app) throws IOException {
        List<ContainerLogs> out = new ArrayList<>();
        for (Path logDir : nodeManagerLogDirs) {
            Path appDir = logDir.resolve(app.toString());
            if (!Files.isDirectory(appDir)) {
                continue;
            }
            try (Stream<Path> containers = Files.list(appDir)) {
                containers
                        .filter(Files::isDirectory)
                        .forEach(d -> out.add(new ContainerLogs(d.getFileName().toString(), d)));
            }
        }
        out.sort(Comparator.comparing(ContainerLogs::containerId));
        return out;
    }

    /** The names of the files in this container's log directory, sorted. */
    public List<String> files() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .sorted()
                    .toList();
        }
    }

    /** One log file's text (UTF-8, malformed bytes replaced), e.g. {@code read("stderr")}. */
    public String read(String file) throws IOException {
        return new String(Files.readAllBytes(dir.resolve(file)), StandardCharsets.UTF_8);
    }

    /** Every file, each after a {@code ==> <container>/<file> <==} line, for assertion messages and searches. */
    public String text() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String f : files()) {
            sb.append("==> ").append(containerId).append('/').append(f).append(" <==\n");
            sb.append(read(f));
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != '\n') {
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
