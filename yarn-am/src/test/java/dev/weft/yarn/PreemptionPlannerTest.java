package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.yarn.api.records.Container;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.PreemptionContainer;
import org.apache.hadoop.yarn.api.records.PreemptionContract;
import org.apache.hadoop.yarn.api.records.PreemptionMessage;
import org.apache.hadoop.yarn.api.records.StrictPreemptionContract;
import org.apache.hadoop.yarn.util.Records;
import org.junit.jupiter.api.Test;

class PreemptionPlannerTest {
    private final TestingExecutorApplication app = new TestingExecutorApplication();
    // Nodes h1 and h2 (NodeIds h1:8041, h2:8041): c1, c2, c5 on h1; c3, c4 on h2.
    private final Container c1 = app.container("h1");
    private final Container c2 = app.container("h1");
    private final Container c3 = app.container("h2");
    private final Container c4 = app.container("h2");
    private final Container c5 = app.container("h1");
    private final ContainerId notOurs = app.container("h3").getId();

    private static PreemptionPlanner.Load busy(String id, Container c, long lastStart) {
        return new PreemptionPlanner.Load(id, c.getId(), c.getNodeId().toString(), 1, lastStart, null);
    }

    private static PreemptionPlanner.Load idle(String id, Container c, long since) {
        return new PreemptionPlanner.Load(id, c.getId(), c.getNodeId().toString(), 0, since, since);
    }

    private static PreemptionPlanner.Ask negotiable(Container... cs) {
        return new PreemptionPlanner.Ask(
                Set.of(),
                java.util.Arrays.stream(cs).map(Container::getId).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void anAskForOneContainerTakesTheIdleExecutorOnTheMarkedNodeNotTheMarkedBusyOne() {
        List<PreemptionPlanner.Load> live =
                List.of(busy("exec-1", c1, 100), idle("exec-2", c2, 50), busy("exec-3", c3, 300));
        assertEquals(List.of("exec-2"), PreemptionPlanner.choose(negotiable(c1), live, Map.of()));
    }

    @Test
    void theSubstituteIsOnTheMarkedNodeEvenWhenACheaperOneRunsElsewhere() {
        // exec-4 on h2 is idle, but the RM marked c1 on h1: room on h2 may not help whoever waits.
        List<PreemptionPlanner.Load> live =
                List.of(busy("exec-1", c1, 100), busy("exec-2", c2, 400), idle("exec-4", c4, 5));
        assertEquals(List.of("exec-2"), PreemptionPlanner.choose(negotiable(c1), live, Map.of()));
    }

    @Test
    void amongBusyExecutorsOfANodeTheOneWhoseTaskStartedLastGoesFirst() {
        List<PreemptionPlanner.Load> live = List.of(
                busy("exec-1", c1, 100), busy("exec-2", c2, 400), busy("exec-5", c5, 250), busy("exec-3", c3, 300));
        assertEquals(List.of("exec-2", "exec-3"), PreemptionPlanner.choose(negotiable(c1, c3), live, Map.of()));
        assertEquals(List.of("exec-2", "exec-5"), PreemptionPlanner.choose(negotiable(c1, c5), live, Map.of()));
    }

    @Test
    void amongIdleExecutorsOfANodeTheLongestIdleGoesFirst() {
        List<PreemptionPlanner.Load> live =
                List.of(idle("exec-1", c1, 70), idle("exec-2", c2, 20), busy("exec-5", c5, 1));
        assertEquals(List.of("exec-2"), PreemptionPlanner.choose(negotiable(c5), live, Map.of()));
    }

    @Test
    void strictContainersAlwaysGoEvenWhenBusyAndAreNotCountedTwice() {
        List<PreemptionPlanner.Load> live =
                List.of(busy("exec-1", c1, 100), idle("exec-2", c2, 50), busy("exec-5", c5, 300));
        PreemptionPlanner.Ask ask = new PreemptionPlanner.Ask(Set.of(c1.getId()), Set.of(c1.getId(), c5.getId()));
        // c1 is strict (exec-1 goes whatever); c5 is negotiable: the idle exec-2 on the same node goes in its place.
        assertEquals(List.of("exec-1", "exec-2"), PreemptionPlanner.choose(ask, live, Map.of()));
    }

    @Test
    void containersThatAreNotOursOrAlreadyGoneAreIgnored() {
        List<PreemptionPlanner.Load> live = List.of(busy("exec-1", c1, 100));
        PreemptionPlanner.Ask foreign = new PreemptionPlanner.Ask(Set.of(notOurs), Set.of(notOurs));
        assertEquals(List.of(), PreemptionPlanner.choose(foreign, live, Map.of()));
        assertEquals(List.of(), PreemptionPlanner.choose(negotiable(c3), live, Map.of()), "c3 is gone");
    }

    @Test
    void aRepeatedAskIsMetByTheReleasesStillInFlightOnThatNode() {
        // Round 1 marked c1; exec-2 (c2, same node) was given back instead and its release is not confirmed yet.
        // The scheduler, not having seen it go, marks c1 again: nothing more goes.
        Map<ContainerId, String> inFlight = Map.of(c2.getId(), "h1:8041");
        List<PreemptionPlanner.Load> live =
                List.of(busy("exec-1", c1, 100), busy("exec-5", c5, 200), busy("exec-3", c3, 300));
        assertEquals(List.of(), PreemptionPlanner.choose(negotiable(c1), live, inFlight));
        // Two marked on h1 while one is in flight there: one more goes; a mark on h2 is not met by h1's release.
        assertEquals(List.of("exec-5"), PreemptionPlanner.choose(negotiable(c1, c5), live, inFlight));
        assertEquals(List.of("exec-3"), PreemptionPlanner.choose(negotiable(c3), live, inFlight));
        // A container given back and marked again counts once.
        assertEquals(List.of(), PreemptionPlanner.choose(negotiable(c2), live, inFlight));
    }

    @Test
    void anAskForMoreThanANodeHasTakesEverythingThere() {
        List<PreemptionPlanner.Load> live =
                List.of(busy("exec-1", c1, 100), idle("exec-5", c5, 5), busy("exec-3", c3, 1));
        PreemptionPlanner.Ask ask = new PreemptionPlanner.Ask(Set.of(), Set.of(c1.getId(), c5.getId(), c2.getId()));
        assertEquals(List.of("exec-5", "exec-1"), PreemptionPlanner.choose(ask, live, Map.of(c2.getId(), "h1:8041")));
    }

    @Test
    void idleExecutorsPastTheTimeoutLongestIdleFirst() {
        List<PreemptionPlanner.Load> live = List.of(
                idle("exec-1", c1, 300), idle("exec-2", c2, 100), busy("exec-3", c3, 0), idle("exec-4", c4, 900));
        assertEquals(List.of("exec-2", "exec-1"), PreemptionPlanner.idleSince(live, 300));
    }

    @Test
    void readsBothPartsOfTheResourceManagersMessage() {
        PreemptionMessage m = Records.newRecord(PreemptionMessage.class);
        StrictPreemptionContract strict = Records.newRecord(StrictPreemptionContract.class);
        strict.setContainers(Set.of(PreemptionContainer.newInstance(c1.getId())));
        m.setStrictContract(strict);
        PreemptionContract contract = Records.newRecord(PreemptionContract.class);
        contract.setContainers(
                Set.of(PreemptionContainer.newInstance(c2.getId()), PreemptionContainer.newInstance(c3.getId())));
        contract.setResourceRequest(List.of());
        m.setContract(contract);
        PreemptionPlanner.Ask ask = PreemptionPlanner.Ask.of(m);
        assertEquals(Set.of(c1.getId()), ask.strict());
        assertEquals(Set.of(c2.getId(), c3.getId()), ask.negotiable());
        assertTrue(PreemptionPlanner.Ask.of(null).isEmpty());
        assertTrue(PreemptionPlanner.Ask.of(Records.newRecord(PreemptionMessage.class))
                .isEmpty());
    }

    @Test
    void aLoadIsIdleExactlyWhenItRunsNoTask() {
        ContainerId id = c1.getId();
        assertThrows(IllegalArgumentException.class, () -> new PreemptionPlanner.Load("e", id, "h1:8041", 0, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new PreemptionPlanner.Load("e", id, "h1:8041", 2, 1, 5L));
    }
}
