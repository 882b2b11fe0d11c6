package dev.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live UI and the history server on real HttpServer2 instances and real sockets. */
class TestWebUiServer {
    @TempDir
    java.nio.file.Path tmp;

    @Test
    void theHistoryServerServesWhatTheLiveServerServed() throws Exception {
        Configuration conf = new Configuration();
        FileSystem fs = FileSystem.getLocal(conf).getRawFileSystem();
        Path dir = new Path(tmp.toUri());
        StatusStore store = new StatusStore();
        store.applicationStarted("application_5_0005", "served", "dave", 1, 10);
        EventLogWriter log = EventLogWriter.start(fs, dir, "application_5_0005", "served", "dave", 1, 10);
        RecordedJob.run(store, log);
        try (WebUiServer live = WebUiServer.live("127.0.0.1", store, conf, s -> {});
                WebUiServer history = WebUiServer.history("127.0.0.1", 0, fs, dir, conf)) {
            String liveRoot = "http://127.0.0.1:" + live.port() + "/";
            String historyRoot = "http://127.0.0.1:" + history.port() + "/";
            assertEquals(200, get(liveRoot).status());
            assertTrue(get(liveRoot).body().contains("id=\"jobs\""));
            Answer unknown = get(liveRoot + "api/v1/jobs/42");
            assertEquals(404, unknown.status());
            assertTrue(unknown.body().contains("no job '42'"), unknown.body());

            // Still being written: the history shows it (incomplete), then the finished log.
            assertTrue(get(historyRoot).body().contains("application_5_0005"));
            assertEquals("INCOMPLETE", state(historyRoot + "history/application_5_0005/api/v1/application"));
            store.applicationEnded("SUCCEEDED", 20);
            log.finish("SUCCEEDED", 20);
            for (String r : new String[] {"application", "jobs", "jobs/0", "stages", "stages/2/0/tasks", "executors"}) {
                assertEquals(
                        get(liveRoot + "api/v1/" + r).body(),
                        get(historyRoot + "history/application_5_0005/api/v1/" + r)
                                .body(),
                        r);
            }
            Answer page = get(historyRoot + "history/application_5_0005/job?id=0");
            assertEquals(200, page.status());
            assertTrue(page.body().contains("<svg"));
            assertEquals(404, get(historyRoot + "history/application_9_0009/").status());
            assertEquals(
                    404,
                    get(historyRoot + "history/application_9_0009/api/v1/jobs").status());
            assertEquals(404, get(historyRoot + "elsewhere").status());
        }
    }

    private static String state(String url) throws IOException {
        String body = get(url).body();
        int i = body.indexOf("\"state\" : \"");
        return body.substring(i + 11, body.indexOf('"', i + 11));
    }

    private record Answer(int status, String body) {}

    private static Answer get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) URI.create(url).toURL().openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        int status = c.getResponseCode();
        try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return new Answer(status, in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }
}
