package dev.weft.testkit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.api.records.FinalApplicationStatus;

/**
 * How a {@link SubmittedJob} ended, read once the {@code yarn jar} client returned.
 *
 * @param exitCode           the client's exit code, what {@code yarn jar} would exit with: 0 when the application
 *                           succeeded, 1 when it failed or was killed, 2 when it could not be submitted
 * @param driver             the ResourceManager's report of the driver application (its final state), or null when
 *                           the client submitted none
 * @param executors          the report of the executor application the driver started (found by its {@code
 *                           weft-driver:<driver id>} tag), or null when there is none: the job ran no executors, or
 *                           the executors ran in the driver's application (same queue)
 * @param nodeManagerLogDirs where the cluster's NodeManagers keep container logs
 * @param events             what the driver recorded (see {@link JobEvents}); complete unless the driver was killed
 */
public record JobOutcome(
        int exitCode,
        ApplicationReport driver,
        ApplicationReport executors,
        List<java.nio.file.Path> nodeManagerLogDirs,
        JobEvents events) {
    public JobOutcome {
        nodeManagerLogDirs = List.copyOf(nodeManagerLogDirs);
        java.util.Objects.requireNonNull(events, "events is null");
    }

    /** Exit code 0 and a driver that unregistered with SUCCEEDED. */
    public boolean succeeded() {
        return exitCode == 0
                && driver != null
                && driver.getFinalApplicationStatus() == FinalApplicationStatus.SUCCEEDED;
    }

    /** The driver's container logs (one per driver attempt). */
    public List<ContainerLogs> driverLogs() throws IOException {
        return driver == null ? List.of() : ContainerLogs.of(nodeManagerLogDirs, driver.getApplicationId());
    }

    /** The executors' container logs, one per executor container on any NodeManager. */
    public List<ContainerLogs> executorLogs() throws IOException {
        return executors == null ? List.of() : ContainerLogs.of(nodeManagerLogDirs, executors.getApplicationId());
    }

    /** Every driver and executor log file, concatenated with headers; for failure messages. */
    public String allLogs() throws IOException {
        List<ContainerLogs> all = new ArrayList<>(driverLogs());
        all.addAll(executorLogs());
        StringBuilder sb = new StringBuilder();
        for (ContainerLogs c : all) {
            sb.append(c.text());
        }
        return sb.toString();
    }

    /** Exit code, both applications' ids, states and diagnostics: short enough for an assertion message. */
    @Override
    public String toString() {
        return "JobOutcome[exitCode=" + exitCode + ", driver=" + describe(driver) + ", executors=" + describe(executors)
                + "]";
    }

    private static String describe(ApplicationReport r) {
        if (r == null) {
            return "none";
        }
        String diagnostics = r.getDiagnostics() == null || r.getDiagnostics().isBlank()
                ? ""
                : ", diagnostics: " + r.getDiagnostics().strip();
        return r.getApplicationId() + " " + r.getYarnApplicationState() + "/" + r.getFinalApplicationStatus()
                + diagnostics;
    }
}
