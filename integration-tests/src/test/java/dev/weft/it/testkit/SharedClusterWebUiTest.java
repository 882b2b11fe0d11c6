package dev.weft.it.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.weft.examples.Demo;
import dev.weft.examples.WordCount;
import dev.weft.testkit.FaultPoint;
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
 * is held at the start of stage 2 (job 1's), and compared with the history's JSON.
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
            FaultPoint secondJob = FaultPoint.stageRunning(2);
            SubmittedJob job = cluster.submit(
                    WordCount.class,
                    List.of(secondJob),
                    "-D",
                    "weft.event-log.dir=" + EVENTS,
                    "-D",
                    "weft.history.address=127.0.0.1:" + history.port(),
                    INPUT.toString(),
                    output.toString());
            ApplicationId app = job.driverApplication();
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
