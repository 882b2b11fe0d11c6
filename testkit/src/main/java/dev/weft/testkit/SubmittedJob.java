package dev.weft.testkit;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;

/**
 * A program submitted with {@link WeftTestCluster#submit}: its {@code yarn jar} client runs on a thread of its own
 * while the test watches, injects faults and finally {@linkplain #await awaits} the {@link JobOutcome}.
 *
 * <p>The driver application is recognized by the unique name the kit gives it ({@code weft.app.name}, unless the
 * program's arguments set one) among the applications the ResourceManager did not know before the submission.
 *
 * <p>Thread-safe.
 */
public final class SubmittedJob {
    /** How long {@link #driverApplication} and {@link #executorApplication} wait for the application to appear. */
    static final Duration APPEARS_WITHIN = Duration.ofSeconds(90);

    private final WeftTestCluster cluster;
    private final Class<?> mainClass;
    private final String appName;
    private final Set<ApplicationId> known;
    private final Path eventsDir;
    private final List<FaultPoint> pauseAt;
    private final CompletableFuture<Integer> exit;
    private final java.io.ByteArrayOutputStream clientOutput;
    private volatile ApplicationId driver;

    SubmittedJob(
            WeftTestCluster cluster,
            Class<?> mainClass,
            String appName,
            Set<ApplicationId> known,
            Path eventsDir,
            List<FaultPoint> pauseAt,
            CompletableFuture<Integer> exit,
            java.io.ByteArrayOutputStream clientOutput) {
        this.cluster = cluster;
        this.mainClass = mainClass;
        this.appName = appName;
        this.known = Set.copyOf(known);
        this.eventsDir = eventsDir;
        this.pauseAt = List.copyOf(pauseAt);
        this.exit = exit;
        this.clientOutput = clientOutput;
    }

    /** What the job's client (the code path of {@code yarn jar}) printed so far: its progress lines and summary. */
    public String clientOutput() {
        return ClientOutput.text(clientOutput);
    }

    /**
     * Waits until the driver pauses at {@code point}, runs {@code fault} (the job is held there meanwhile) and
     * resumes the job, also when {@code fault} throws.
     *
     * @throws AssertionError when the job ends, or does not reach the point, within {@code timeout}
     */
    public void at(FaultPoint point, Duration timeout, Fault fault) throws Exception {
        awaitPause(point, timeout);
        try {
            fault.inject();
        } finally {
            resume(point);
        }
    }

    /** What a test does to the cluster while the job is paused at a {@link FaultPoint}. */
    @FunctionalInterface
    public interface Fault {
        void inject() throws Exception;
    }

    /**
     * Waits until the driver pauses at {@code point}, one of the points the job was {@linkplain
     * WeftTestCluster#submit(Class, List, String...) submitted} with. The job stays there until {@link #resume}.
     *
     * @throws AssertionError when the job ends, or does not reach the point, within {@code timeout}
     */
    public void awaitPause(FaultPoint point, Duration timeout) throws IOException, InterruptedException {
        if (!pauseAt.contains(point)) {
            throw new IllegalArgumentException(
                    point + " is not a point this job pauses at; it was submitted with " + pauseAt);
        }
        FileSystem fs = cluster.fileSystem();
        Path marker = EventRecorder.pausedMarker(eventsDir, point);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!fs.exists(marker)) {
            if (exit.isDone()) {
                throw new AssertionError(mainClass.getName() + " (" + appName + ") ended (" + describeExit()
                        + ") without pausing at " + point + "; its events:\n" + events());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(appName + " did not reach " + point + " within " + timeout
                        + killDriverQuietly() + "; its events so far:\n" + events());
            }
            Thread.sleep(20);
        }
    }

    /** Lets the driver go on from {@code point}. */
    public void resume(FaultPoint point) throws IOException {
        cluster.fileSystem()
                .create(EventRecorder.resumeMarker(eventsDir, point), true)
                .close();
    }

    /**
     * The events the driver recorded so far: every event once the job ended (unless its driver was killed), else
     * what it flushed.
     */
    public JobEvents events() throws IOException {
        return JobEvents.read(cluster.fileSystem(), eventsDir);
    }

    public Class<?> mainClass() {
        return mainClass;
    }

    /** The name of the driver application in the ResourceManager. */
    public String applicationName() {
        return appName;
    }

    /** Whether the client has returned (the application ended, or could not be submitted). */
    public boolean isDone() {
        return exit.isDone();
    }

    /**
     * The driver's application id, once the ResourceManager knows it; waits up to 90 s for the submission.
     *
     * @throws IllegalStateException when the client ended without submitting, or nothing appeared in time
     */
    public ApplicationId driverApplication() throws IOException, InterruptedException {
        ApplicationId found = driver;
        if (found != null) {
            return found;
        }
        long deadline = System.nanoTime() + APPEARS_WITHIN.toNanos();
        while (true) {
            // Read before asking the RM: an application submitted before the client ended is listed by then.
            boolean clientEnded = exit.isDone();
            Optional<ApplicationId> app = findDriver();
            if (app.isPresent()) {
                driver = app.get();
                return app.get();
            }
            if (clientEnded) {
                throw new IllegalStateException(mainClass.getName() + ": the client ended (" + describeExit()
                        + ") without submitting an application named " + appName);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(
                        "no driver application named " + appName + " appeared within " + APPEARS_WITHIN);
            }
            Thread.sleep(100);
        }
    }

    /**
     * The id of the executor application the driver started (tagged {@code weft-driver:<driver id>}), once the
     * ResourceManager knows it; waits up to 90 s.
     *
     * @throws IllegalStateException when the job ended without one, or none appeared in time
     */
    public ApplicationId executorApplication() throws IOException, InterruptedException {
        ApplicationId d = driverApplication();
        long deadline = System.nanoTime() + APPEARS_WITHIN.toNanos();
        while (true) {
            boolean clientEnded = exit.isDone();
            ApplicationReport r = executorReport(d);
            if (r != null) {
                return r.getApplicationId();
            }
            if (clientEnded) {
                throw new IllegalStateException(d + " ended (" + describeExit() + ") without an executor application");
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(d + " started no executor application within " + APPEARS_WITHIN);
            }
            Thread.sleep(100);
        }
    }

    /**
     * Waits for the client to return and reads how the job ended. When it does not end in time, the driver
     * application is killed (so a shared cluster is not left running it) and an {@link AssertionError} is thrown.
     *
     * @throws IllegalStateException when the client itself threw (not the job: a failed job is exit code 1)
     */
    public JobOutcome await(Duration timeout) throws IOException, InterruptedException {
        int code;
        try {
            code = exit.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError(
                    mainClass.getName() + " (" + appName + ") did not end within " + timeout + killDriverQuietly(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the client of " + mainClass.getName() + " failed", e.getCause());
        }
        Optional<ApplicationId> d = Optional.ofNullable(driver).or(this::findDriverUnchecked);
        ApplicationReport driverReport = d.isPresent() ? cluster.applicationReport(d.get()) : null;
        ApplicationReport executors = d.isPresent() ? executorReport(d.get()) : null;
        return new JobOutcome(code, driverReport, executors, cluster.embedded().nodeManagerLogDirs(), events());
    }

    private Optional<ApplicationId> findDriver() throws IOException {
        return cluster.applications(WeftTestCluster.DRIVER_TYPE).stream()
                .filter(r -> !known.contains(r.getApplicationId()))
                .filter(r -> appName.equals(r.getName()))
                .map(ApplicationReport::getApplicationId)
                .findFirst();
    }

    private Optional<ApplicationId> findDriverUnchecked() {
        try {
            return findDriver();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Every executor application this job's driver started, oldest first: a driver starts another when its executor
     * application ends under it.
     */
    public List<ApplicationReport> executorApplications() throws IOException, InterruptedException {
        String tag = "weft-driver:" + driverApplication().toString().toLowerCase(Locale.ROOT);
        return cluster.applications(WeftTestCluster.EXECUTORS_TYPE).stream()
                .filter(r -> r.getApplicationTags().contains(tag))
                .sorted(java.util.Comparator.comparing(ApplicationReport::getApplicationId))
                .toList();
    }

    private ApplicationReport executorReport(ApplicationId driverApp) throws IOException {
        String tag = "weft-driver:" + driverApp.toString().toLowerCase(Locale.ROOT);
        return cluster.applications(WeftTestCluster.EXECUTORS_TYPE).stream()
                .filter(r -> r.getApplicationTags().contains(tag))
                .findFirst()
                .orElse(null);
    }

    private String killDriverQuietly() {
        ApplicationId d = driver;
        try {
            if (d == null) {
                d = findDriver().orElse(null);
            }
            if (d == null) {
                return "; no driver application was found";
            }
            cluster.killApplication(d);
            return "; its driver application " + d + " was killed";
        } catch (IOException | RuntimeException e) {
            return "; killing its driver application " + d + " failed: " + e;
        }
    }

    private String describeExit() {
        if (!exit.isDone()) {
            return "still running";
        }
        try {
            return "exit code " + exit.getNow(null);
        } catch (RuntimeException e) {
            return "threw " + e.getCause();
        }
    }
}
