package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.events.StageState;
import dev.weft.events.TaskState;
import dev.weft.events.WeftEvent;
import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.FaultPoint;
import dev.weft.testkit.JobEvents;
import dev.weft.testkit.JobOutcome;
import dev.weft.testkit.SubmittedJob;
import dev.weft.testkit.WeftAssertions;
import dev.weft.testkit.WeftCluster;
import dev.weft.testkit.WeftTestCluster;
import dev.weft.ui.WebUiServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.yarn.api.records.ApplicationId;
import org.apache.hadoop.yarn.api.records.ApplicationReport;
import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The driver's web UI as a user reaches it: through the tracking link the ResourceManager publishes (its web proxy, on
 * the RM's real port), then, after the application ended, through the same link forwarded to the history server,
 * which renders the event log the driver wrote. WordCount's job 0 (stages 0 and 1) is captured live while the driver
 * is held at the start of stage 2 (job 1's), and compared with the history's JSON. The client's output (the code path
 * of {@code yarn jar}) shows per-stage progress lines and a summary whose counts match the recorded events.
 */
@WeftCluster(shared = true)
class SharedClusterWebUiTest {
    private static final Path INPUT = new Path("/testkit/web-ui/words.txt");
    private static final Path EVENTS = new Path("/testkit/web-ui/events");
    private static List<String> expected;

    @BeforeAll
    static void writeInput(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Demo.writeText(fs, INPUT, 20_000, 5);
        expected = Reference.wordCountLines(fs, INPUT);
        fs.mkdirs(EVENTS);
        fs.setPermission(EVENTS, new FsPermission((short) 01777));
    }

    @Test
    void theTrackingLinkShowsTheLiveUiAndThenTheHistoryOfTheSameJob(WeftTestCluster cluster) throws Exception {
        FileSystem fs = cluster.fileSystem();
        Path output = new Path("/testkit/web-ui/out");
        String rmWeb = cluster.conf().get(YarnConfiguration.RM_WEBAPP_ADDRESS);
        try (WebUiServer history = WebUiServer.history("127.0.0.1", 0, fs, EVENTS, cluster.conf())) {
            FaultPoint firstMapDone = FaultPoint.tasksSucceeded(0, 1);
            FaultPoint secondJob = FaultPoint.stageRunning(2);
            SubmittedJob job = cluster.submit(
                    WordCount.class,
                    List.of(firstMapDone, secondJob),
                    "-D",
                    "weft.event-log.dir=" + EVENTS,
                    "-D",
                    "weft.history.address=127.0.0.1:" + history.port(),
                    "-D",
                    "weft.client.follow=true",
                    INPUT.toString(),
                    output.toString());
            ApplicationId app = job.driverApplication();
            // Held while stage 0 runs: the client, reading the driver's progress through the RM's proxy, prints it.
            job.at(firstMapDone, Duration.ofMinutes(3), () -> awaitOutput(job, PROGRESS_LINE, Duration.ofMinutes(1)));
            Map<String, String> live = new LinkedHashMap<>();
            job.at(secondJob, Duration.ofMinutes(3), () -> {
                ApplicationReport report = cluster.yarnClient().getApplicationReport(app);
                String tracking = report.getTrackingUrl();
                assertTrue(tracking.startsWith("http://" + rmWeb + "/proxy/" + app), tracking + " vs " + rmWeb);
                assertNotEquals(0, URI.create(tracking).getPort(), tracking);
                Answer root = get(tracking);
                assertEquals(200, root.status(), root.body());
                assertTrue(root.body().contains("id=\"jobs\""), root.body());
                Answer graph = get(tracking + "job?id=0");
                assertEquals(200, graph.status());
                assertTrue(graph.body().contains("id=\"stage-node-1\""), graph.body());
                Answer unknown = get(tracking + "api/v1/stages/4242");
                assertEquals(404, unknown.status(), unknown.body());
                assertTrue(unknown.body().contains("no stage '4242'"), unknown.body());
                assertTrue(!unknown.body().contains("Exception"), unknown.body());
                // The driver's metrics2 source, on the UI's /jmx as on every Hadoop daemon's. metrics2 refreshes the
                // JMX view once per period (10 s), so the first answer may predate job 0's end: ask until it shows.
                String jmxUrl = tracking + "jmx?qry=Hadoop:service=WeftDriver,name=WeftDriver";
                long deadline = System.nanoTime() + Duration.ofSeconds(45).toNanos();
                Answer jmx = get(jmxUrl);
                while (!jmx.body().contains("\"JobsSucceeded\" : 1") && System.nanoTime() < deadline) {
                    Thread.sleep(500);
                    jmx = get(jmxUrl);
                }
                assertEquals(200, jmx.status(), jmx.body());
                assertTrue(jmx.body().contains("\"JobsSucceeded\" : 1"), jmx.body());
                for (String r : List.of("jobs/0", "stages/1/0", "stages/0/0/tasks")) {
                    Answer a = get(tracking + "api/v1/" + r);
                    assertEquals(200, a.status(), r + ": " + a.body());
                    live.put(r, a.body());
                }
            });
            JobOutcome outcome = job.await(Duration.ofMinutes(4));
            assertEquals(0, outcome.exitCode(), outcome::toString);
            WeftAssertions.assertTextOutputEquals(fs, output, expected);
            assertTrue(live.get("jobs/0").contains("\"state\" : \"SUCCEEDED\""), live.get("jobs/0"));

            Path log = new Path(EVENTS, app + "_1");
            assertTrue(fs.exists(log), "the driver's event log " + log);
            assertEquals(new FsPermission((short) 0640), fs.getFileStatus(log).getPermission());
            String historyRoot = "http://127.0.0.1:" + history.port() + "/history/" + app + "/";
            assertEquals(historyRoot, outcome.driver().getOriginalTrackingUrl());
            for (Map.Entry<String, String> e : live.entrySet()) {
                assertEquals(
                        e.getValue(), get(historyRoot + "api/v1/" + e.getKey()).body(), e.getKey());
            }
            // The RM's link still works after the driver exited: its proxy forwards to the history.
            String tracking = cluster.yarnClient().getApplicationReport(app).getTrackingUrl();
            Answer after = get(tracking + "api/v1/jobs/0");
            assertEquals(200, after.status(), tracking + ": " + after.body());
            assertEquals(live.get("jobs/0"), after.body());
            assertTrue(get(historyRoot + "api/v1/application").body().contains("\"state\" : \"SUCCEEDED\""));

            String client = job.clientOutput();
            assertTrue(client.contains("weft: tracking URL http://" + rmWeb + "/proxy/" + app + "/"), client);
            assertTrue(client.contains("weft: history " + historyRoot), client);
            // weft.client.follow: the driver's own log lines, as it wrote them.
            assertTrue(
                    Pattern.compile("(?m)^driver\\| .*registered; tracking URL")
                            .matcher(client)
                            .find(),
                    client);
            Matcher m = SUMMARY.matcher(client);
            assertTrue(m.find(), client);
            // The summary's counts against the events the kit recorded independently of the driver's UI.
            JobEvents events = outcome.events();
            long jobs = events.of(WeftEvent.JobStateChanged.class).stream()
                    .filter(j -> j.from() == null)
                    .count();
            long stages = events.of(WeftEvent.StageStateChanged.class).stream()
                    .filter(st -> st.to() == StageState.RUNNING)
                    .count();
            long tasks = events.of(WeftEvent.TaskStateChanged.class).stream()
                    .filter(t -> t.from() != null && t.to() != TaskState.RUNNING)
                    .count();
            assertEquals(jobs, Long.parseLong(m.group(1)), m.group());
            assertEquals(stages, Long.parseLong(m.group(2)), m.group());
            assertEquals(tasks, Long.parseLong(m.group(3)), m.group());
        }
    }

    private static final Pattern PROGRESS_LINE =
            Pattern.compile("(?m)^\\[stage 0 [^\\]]+\\] \\d+/\\d+ tasks, \\d+ running, \\d+ failed$");
    private static final Pattern SUMMARY =
            Pattern.compile("weft: summary: wall [0-9.]+ s, (\\d+) jobs, (\\d+) stages, (\\d+) tasks \\(0 failed\\)");

    /** Waits (polling, bounded) until the client printed a line that {@code p} finds. */
    private static void awaitOutput(SubmittedJob job, Pattern p, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!p.matcher(job.clientOutput()).find()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "the client printed no line like " + p + " within " + within + ":\n" + job.clientOutput());
            }
            Thread.sleep(100);
        }
    }

    private record Answer(int status, String body) {}

    private static Answer get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(20_000);
        c.setReadTimeout(20_000);
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
