package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.apache.hadoop.yarn.api.records.ContainerId;
import org.apache.hadoop.yarn.api.records.PreemptionContainer;
import org.apache.hadoop.yarn.api.records.PreemptionContract;
import org.apache.hadoop.yarn.api.records.PreemptionMessage;
import org.apache.hadoop.yarn.api.records.StrictPreemptionContract;
import org.apache.hadoop.yarn.util.Records;
import org.junit.jupiter.api.Test;

class PreemptionPlannerTest {
    private final TestingExecutorApplication app = new TestingExecutorApplication();
    private final ContainerId c1 = app.container("h1").getId();
    private final ContainerId c2 = app.container("h1").getId();
    private final ContainerId c3 = app.container("h2").getId();
    private final ContainerId c4 = app.container("h2").getId();
    private final ContainerId notOurs = app.container("h3").getId();

    private static PreemptionPlanner.Load busy(String id, ContainerId c, long lastStart) {
        return new PreemptionPlanner.Load(id, c, 1, lastStart, null);
    }

    private static PreemptionPlanner.Load idle(String id, ContainerId c, long since) {
        return new PreemptionPlanner.Load(id, c, 0, since, since);
    }

    private static PreemptionPlanner.Ask negotiable(ContainerId... ids) {
        return new PreemptionPlanner.Ask(Set.of(), Set.of(ids));
    }

    @Test
    void anAskForOneContainerTakesTheIdleExecutorNotTheMarkedBusyOne() {
        List<PreemptionPlanner.Load> live =
                List.of(busy("exec-1", c1, 100), idle("exec-2", c2, 50), busy("exec-3", c3, 300));
        assertEquals(List.of("exec-2"), PreemptionPlanner.choose(negotiable(c1), live, Set.of()));
    }

    @Test
    void amongBusyExecutorsTheOneWhoseTaskStartedLastGoesFirst() {
        List<PreemptionPlanner.Load> live =
                List.of(busy("exec-1", c1, 100), busy("exec-2", c2, 400), busy("exec-3", c3, 300));
        assertEquals(List.of("exec-2", "exec-3"), PreemptionPlanner.choose(negotiable(c1, c3), live, Set.of()));
    }

    @Test
    void amongIdleExecutorsTheLongestIdleGoesFirst() {
        List<PreemptionPlanner.Load> live =
                List.of(idle("exec-1", c1, 70), idle("exec-2", c2, 20), busy("exec-3", c3, 1));
        assertEquals(List.of("exec-2"), PreemptionPlanner.choose(negotiable(c3), live, Set.of()));
    }

    @Test
    void strictContainersAlwaysGoEvenWhenBusyAndAreNotCountedTwice() {
        List<PreemptionPlanner.Load> live =
                List.of(busy("exec-1", c1, 100), idle("exec-2", c2, 50), busy("exec-3", c3, 300));
        PreemptionPlanner.Ask ask = new PreemptionPlanner.Ask(Set.of(c1), Set.of(c1, c3));
        // c1 is strict (exec-1 goes whatever); c3 is negotiable: the idle exec-2 goes in its place.
        assertEquals(List.of("exec-1", "exec-2"), PreemptionPlanner.choose(ask, live, Set.of()));
    }

    @Test
    void containersThatAreNotOursOrAlreadyGoneAreIgnored() {
        List<PreemptionPlanner.Load> live = List.of(busy("exec-1", c1, 100));
        assertEquals(List.of(), PreemptionPlanner.choose(negotiable(notOurs), live, Set.of()));
        assertEquals(
                List.of(),
                PreemptionPlanner.choose(new PreemptionPlanner.Ask(Set.of(notOurs), Set.of()), live, Set.of()));
    }

    @Test
    void aRepeatedAskIsMetByTheReleasesStillInFlight() {
        // Round 1 named c1; exec-2 (c2) was given back instead and its release is not confirmed yet. The
        // scheduler, not having seen it go, names c1 again: nothing more goes.
        List<PreemptionPlanner.Load> live = List.of(busy("exec-1", c1, 100), busy("exec-3", c3, 300));
        assertEquals(List.of(), PreemptionPlanner.choose(negotiable(c1), live, Set.of(c2)));
        // Asking for two while one is in flight takes one more.
        assertEquals(List.of("exec-3"), PreemptionPlanner.choose(negotiable(c1, c3), live, Set.of(c2)));
        // A container given back and named again counts once.
        assertEquals(List.of(), PreemptionPlanner.choose(negotiable(c2), live, Set.of(c2)));
    }

    @Test
    void anAskForMoreThanWeHaveTakesEverything() {
        List<PreemptionPlanner.Load> live = List.of(busy("exec-1", c1, 100), idle("exec-4", c4, 5));
        assertEquals(List.of("exec-4", "exec-1"), PreemptionPlanner.choose(negotiable(c1, c4, c3), live, Set.of()));
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
        strict.setContainers(Set.of(PreemptionContainer.newInstance(c1)));
        m.setStrictContract(strict);
        PreemptionContract contract = Records.newRecord(PreemptionContract.class);
        contract.setContainers(Set.of(PreemptionContainer.newInstance(c2), PreemptionContainer.newInstance(c3)));
        contract.setResourceRequest(List.of());
        m.setContract(contract);
        PreemptionPlanner.Ask ask = PreemptionPlanner.Ask.of(m);
        assertEquals(Set.of(c1), ask.strict());
        assertEquals(Set.of(c2, c3), ask.negotiable());
        assertTrue(PreemptionPlanner.Ask.of(null).isEmpty());
        assertTrue(PreemptionPlanner.Ask.of(Records.newRecord(PreemptionMessage.class))
                .isEmpty());
    }

    @Test
    void aLoadIsIdleExactlyWhenItRunsNoTask() {
        assertThrows(IllegalArgumentException.class, () -> new PreemptionPlanner.Load("e", c1, 0, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new PreemptionPlanner.Load("e", c1, 2, 1, 5L));
    }
}
