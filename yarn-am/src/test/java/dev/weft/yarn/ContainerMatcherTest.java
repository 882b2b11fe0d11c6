package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.Resource;
import org.apache.hadoop.yarn.client.api.AMRMClient.ContainerRequest;
import org.junit.jupiter.api.Test;

class ContainerMatcherTest {
    private final TestingExecutorApplication app = new TestingExecutorApplication();
    private final TestingTicker ticker = new TestingTicker();
    private final List<String> observed = new java.util.ArrayList<>();
    private final ContainerMatcher matcher = new ContainerMatcher(
            app,
            Resource.newInstance(2048, 2),
            10_000,
            ticker,
            (node, strict, relaxed, reason) -> observed.add(node + " strict=" + strict + " relaxed=" + relaxed));

    private static ExecutorPlacement.Request on(String node) {
        return node == null ? ExecutorPlacement.Request.anywhere("test") : new ExecutorPlacement.Request(node, "test");
    }

    @Test
    void asksStrictlyForANamedHostAndRelaxedForNone() {
        matcher.request(on("h1"));
        matcher.request(on(null));
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
        matcher.request(on("h1"));
        matcher.request(on("h2"));
        matcher.request(on(null));
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
    void aRelaxedContainerOnAHostAStrictRequestNamesTakesTheRelaxedRequest() {
        matcher.request(on("localhost"));
        matcher.request(on(null));
        ContainerRequest strict = app.live.get(0);
        ContainerRequest relaxed = app.live.get(1);

        // The RM served the relaxed request on the very host the strict one names (two NodeManagers, one host name).
        assertTrue(matcher.accept(app.container("localhost", ContainerMatcher.RELAXED)));
        assertEquals(List.of(relaxed), app.removed, "the strict request is still unserved at the RM");
        assertEquals(List.of(List.of("localhost")), matcher.outstandingHosts());
        assertEquals(List.of(strict), app.live);

        assertTrue(matcher.accept(app.container("localhost", ContainerMatcher.STRICT)));
        assertEquals(List.of(relaxed, strict), app.removed);
        assertEquals(0, matcher.pendingRequests());
    }

    @Test
    void aStrictContainerTakesTheStrictRequestForItsHostEvenWhenAnUnplacedOneIsOlder() {
        matcher.request(on(null));
        matcher.request(on("h2"));
        ContainerRequest relaxed = app.live.get(0);
        ContainerRequest strict = app.live.get(1);
        assertTrue(matcher.accept(app.container("h2", ContainerMatcher.STRICT)));
        assertEquals(List.of(strict), app.removed);
        assertEquals(List.of(relaxed), app.live);
    }

    @Test
    void releasesAContainerNobodyAskedFor() {
        matcher.request(on("h1"));
        assertTrue(matcher.accept(app.container("h1")));
        Container extra = app.container("h1");
        assertFalse(matcher.accept(extra));
        assertEquals(List.of(extra.getId()), app.released);
        assertEquals(0, matcher.pendingRequests());
    }

    @Test
    void relaxesAStrictRequestOnlyAfterTheStrictPlacementTime() {
        matcher.request(on("h1"));
        matcher.request(on(null));
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
        assertEquals(
                List.of(
                        "h1 strict=true relaxed=false",
                        "null strict=false relaxed=false",
                        "null strict=false relaxed=true"),
                observed,
                "each request, and the relaxed one asked again, is observed");
    }

    @Test
    void aStrictRequestFilledInTimeIsNotRelaxedLater() {
        matcher.request(on("h1"));
        assertTrue(matcher.accept(app.container("h1")));
        ticker.advance(1, TimeUnit.HOURS);
        matcher.relaxStaleRequests();
        assertEquals(List.of(), app.live);
        assertEquals(0, matcher.pendingRequests());
    }

    @Test
    void withdrawingAllRemovesEveryOutstandingRequestAndReleasesALateContainer() {
        matcher.request(on("h1"));
        matcher.request(on(null));
        matcher.request(on("h2"));
        assertTrue(matcher.accept(app.container("h2")));
        assertEquals(2, matcher.withdrawAll(), "two containers were still wanted");
        assertEquals(List.of(), app.live, "nothing is left asked for at the ResourceManager");
        assertEquals(List.of(), matcher.outstandingHosts());
        assertEquals(0, matcher.pendingRequests());
        Container late = app.container("h1");
        assertFalse(matcher.accept(late), "a container allocated before the withdrawal arrived is not used");
        assertEquals(List.of(late.getId()), app.released);
        ticker.advance(1, TimeUnit.HOURS);
        matcher.relaxStaleRequests();
        assertEquals(List.of(), app.live, "a withdrawn strict request is not asked again as a relaxed one");
        assertEquals(0, matcher.withdrawAll());
    }
}
