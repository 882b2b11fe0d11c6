package dev.weft.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TestUiRoutes {
    private static final StatusStore STORE = new StatusStore();

    @BeforeAll
    static void recordAJob() {
        STORE.applicationStarted("application_7_0007", "routes", "carol", 1, 1);
        RecordedJob.run(STORE);
    }

    @Test
    void everyPageAnswers200WithRelativeLinksOnly() {
        for (String[] page : new String[][] {
            {"", ""},
            {"jobs", ""},
            {"job", "id=0"},
            {"stages", ""},
            {"stage", "id=1"},
            {"stage", "id=0&attempt=0"},
            {"tasks", "stage=0&attempt=0"},
            {"executors", ""},
            {"environment", ""}
        }) {
            UiRoutes.Response r = UiRoutes.get(STORE, page[0], query(page[1]));
            assertEquals(200, r.status(), page[0]);
            assertTrue(r.contentType().startsWith("text/html"), r.contentType());
            assertFalse(r.body().contains("href=\"/"), "an absolute link breaks behind the RM proxy: " + page[0]);
        }
        String job = UiRoutes.get(STORE, "job", query("id=0")).body();
        assertTrue(job.contains("<svg"), job);
        assertTrue(job.contains("id=\"stages\""), job);
        String stage = UiRoutes.get(STORE, "stage", query("id=0")).body();
        assertTrue(stage.contains(RecordedJob.INJECTED), "the failure's cause is on the stage page");
        assertTrue(stage.contains("id=\"quantiles\""), stage);
    }

    @Test
    void theJobGraphDrawsEveryStageAndEveryShuffle() {
        UiRoutes.Response r = UiRoutes.get(STORE, "dag.svg", query("job=0"));
        assertEquals(200, r.status());
        assertTrue(r.contentType().startsWith("image/svg+xml"));
        String svg = r.body();
        JobView job = STORE.job(0).orElseThrow();
        int edges = job.plan().stream().mapToInt(s -> s.parentIds().size()).sum();
        assertEquals(job.plan().size(), occurrences(svg, "class=\"stage-node state-succeeded\""), svg);
        assertEquals(edges, occurrences(svg, "class=\"shuffle\""), svg);
        for (var s : job.plan()) {
            assertTrue(svg.contains("href=\"stage?id=" + s.stageId() + "\""), svg);
        }
    }

    @Test
    void unknownIdsAndPagesAre404WithAMessageAndNoTrace() {
        String[][] html = {
            {"job", "id=99", "no job '99': this application's jobs are 0 to 0"},
            {"job", "id=abc", "no job 'abc'"},
            {"job", "", "no job 'null'"},
            {"stage", "id=-1", "no stage '-1': this application's stages are 0 to 2"},
            {"stage", "id=0&attempt=5", "stage 0 has no attempt '5'"},
            {"tasks", "stage=0&attempt=9", "no stage attempt '0.9'"},
            {"dag.svg", "job=12345678901234", "no job '12345678901234'"},
            {"nothing-here", "", "no page 'nothing-here'"},
        };
        for (String[] c : html) {
            UiRoutes.Response r = UiRoutes.get(STORE, c[0], query(c[1]));
            assertEquals(404, r.status(), c[0] + "?" + c[1]);
            assertTrue(r.body().contains(Html.esc(c[2])), r.body());
            assertFalse(r.body().contains("Exception"), r.body());
        }
        String[][] api = {
            {"api/v1/jobs/99", "no job '99'"},
            {"api/v1/jobs/x", "no job 'x'"},
            {"api/v1/stages/77", "no stage '77'"},
            {"api/v1/stages/0/3", "stage 0 has no attempt '3'"},
            {"api/v1/stages/0/0/nope", "no API resource 'stages/0/0/nope'"},
            {"api/v1/whatever", "no API resource 'whatever'"},
        };
        for (String[] c : api) {
            UiRoutes.Response r = UiRoutes.get(STORE, c[0], Map.of());
            assertEquals(404, r.status(), c[0]);
            assertTrue(r.contentType().startsWith("application/json"));
            assertTrue(r.body().contains("\"status\" : 404"), r.body());
            assertTrue(r.body().contains(c[1]), r.body());
        }
    }

    @Test
    void theProgressResourceListsOnlyRunningStages() {
        String body = UiRoutes.get(STORE, "api/v1/progress", Map.of()).body();
        assertTrue(body.contains("\"activeStages\" : [ ]"), body);
    }

    private static int occurrences(String s, String part) {
        int n = 0;
        for (int i = s.indexOf(part); i >= 0; i = s.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private static Map<String, String> query(String q) {
        Map<String, String> m = new java.util.HashMap<>();
        for (String kv : q.split("&")) {
            if (!kv.isEmpty()) {
                String[] p = kv.split("=", 2);
                m.put(p[0], p[1]);
            }
        }
        return m;
    }
}
