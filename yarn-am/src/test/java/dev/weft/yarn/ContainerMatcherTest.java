package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.junit.jupiter.api.Test;

class ContainerMatcherTest {
    private final TestingExecutorApplication app = new TestingExecutorApplication();
    private final TestingTicker ticker = new TestingTicker();
    private final ContainerMatcher matcher = new ContainerMatcher(app, Resource.newInstance(2048, 2), 10_000, ticker);

    @Test
    void plansRequestsOnTheHostsWithTheMostPendingTasksThenAnywhere() {
        Map<String, Integer> tasks = new LinkedHashMap<>();
        tasks.put("b", 3);
        tasks.put("a", 3);
        tasks.put("c", 1);
        tasks.put("d", 0);
        // 2 cores per executor: a (3) and b (3) first, by name on the tie; then a and b have 1 left, like c.
        assertEquals(Arrays.asList("a", "b", "a", "b", "c", null), ContainerMatcher.requestHosts(tasks, 6, 2));
        assertEquals(Arrays.asList(null, null), ContainerMatcher.requestHosts(Map.of(), 2, 4));
    }

    @Test
    void asksStrictlyForANamedHostAndRelaxedForNone() {
        matcher.request("h1");
        matcher.request(null);
        ContainerRequest strict = app.live.get(0);
        ContainerRequest relaxed = app.live.get(1);
        assertEquals(List.of("h1"), strict.getNodes());
        assertFalse(strict.getRelaxLocality());
        assertEquals(ContainerMatcher.STRICT, strict.getPriority());
        assertTrue(relaxed.getNodes() == null || relaxed.getNodes().isEmpty());
        assertTrue(relaxed.getRelaxLocality());
        assertEquals(ContainerMatcher.RELAXED, relaxed.getPriority());
        assertEquals(Resource.newInstance(2048, 2), strict.getCapability());
        assertEquals(2, matcher.pendingRequests());
    }

    @Test
    void aContainerTakesTheRequestForItsHostElseAnUnplacedOneElseTheOldest() {
        matcher.request("h1");
        matcher.request("h2");
        matcher.request(null);
        ContainerRequest h1 = app.live.get(0);
        ContainerRequest h2 = app.live.get(1);
        ContainerRequest any = app.live.get(2);

        assertTrue(matcher.accept(app.container("h2")));
        assertEquals(List.of(h2), app.removed);
        assertTrue(matcher.accept(app.container("h9")), "an unknown host takes the unplaced request");
        assertEquals(List.of(h2, any), app.removed);
        assertTrue(matcher.accept(app.container("h8")), "the RM relaxed h1's request: it is the oldest left");
        assertEquals(List.of(h2, any, h1), app.removed);
        assertEquals(List.of(), matcher.outstandingHosts());
        assertEquals(0, matcher.pendingRequests());
        assertEquals(List.of(), app.released);
    }

    @Test
    void releasesAContainerNobodyAskedFor() {
        matcher.request("h1");
        assertTrue(matcher.accept(app.container("h1")));
        Container extra = app.container("h1");
        assertFalse(matcher.accept(extra));
        assertEquals(List.of(extra.getId()), app.released);
        assertEquals(0, matcher.pendingRequests());
    }

    @Test
    void relaxesAStrictRequestOnlyAfterTheStrictPlacementTime() {
        matcher.request("h1");
        matcher.request(null);
        ticker.advance(10_000, TimeUnit.MILLISECONDS);
        matcher.relaxStaleRequests();
        assertEquals(List.of(List.of("h1"), List.of()), matcher.outstandingHosts(), "10 s is not yet too late");

        ticker.advance(1, TimeUnit.MILLISECONDS);
        matcher.relaxStaleRequests();
        assertEquals(List.of(List.of(), List.of()), matcher.outstandingHosts());
        assertEquals(1, app.removed.size());
        assertEquals(List.of("h1"), app.removed.get(0).getNodes());
        assertEquals(2, app.live.size());
        assertTrue(app.live.get(1).getRelaxLocality());
        assertEquals(2, matcher.pendingRequests(), "relaxing replaces a request, it does not add one");

        ticker.advance(1, TimeUnit.HOURS);
        matcher.relaxStaleRequests();
        assertEquals(1, app.removed.size(), "a relaxed request stays");
    }

    @Test
    void aStrictRequestFilledInTimeIsNotRelaxedLater() {
        matcher.request("h1");
        assertTrue(matcher.accept(app.container("h1")));
        ticker.advance(1, TimeUnit.HOURS);
        matcher.relaxStaleRequests();
        assertEquals(List.of(), app.live);
        assertEquals(0, matcher.pendingRequests());
    }
}
