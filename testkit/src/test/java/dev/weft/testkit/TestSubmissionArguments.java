package dev.weft.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class TestSubmissionArguments {
    @Test
    void theProgramsOwnAppNameIsFoundInEitherSpellingAndTheLastWins() {
        assertNull(WeftTestCluster.appNameIn(new String[] {"-D", "weft.executor.instances=3", "/in", "/out"}));
        assertEquals("mine", WeftTestCluster.appNameIn(new String[] {"-D", "weft.app.name=mine", "/in"}));
        assertEquals(
                "second",
                WeftTestCluster.appNameIn(new String[] {"-Dweft.app.name=first", "-D", "weft.app.name=second"}));
    }

    @Test
    void theRecorderJoinsTheProgramsOwnListenersOrIsSetAheadOfTheArguments() {
        String recorder = EventRecorder.class.getName();
        assertEquals(
                java.util.List.of("-D", "weft.listeners=" + recorder, "-D", "weft.executor.instances=3", "/in"),
                WeftTestCluster.withRecorder(new String[] {"-D", "weft.executor.instances=3", "/in"}));
        assertEquals(
                java.util.List.of(
                        "-D", "weft.listeners=com.example.Audit," + recorder, "-Dweft.listeners=" + recorder, "/in"),
                WeftTestCluster.withRecorder(
                        new String[] {"-D", "weft.listeners=com.example.Audit", "-Dweft.listeners=", "/in"}));
    }

    @Test
    void specsAreValidatedAndNamedForTheirDirectory() {
        assertEquals("2nm-1dn-noshuffle", new ClusterSpec(2, 1, false, false).id());
        assertEquals("3nm-3dn-shuffle-hosts", new ClusterSpec(3, 3, true, true).id());
        assertEquals("1nm-1dn-shuffle-sealed", new ClusterSpec(1, 1, true, false, "", false, true, false).id());
        assertEquals("2nm-2dn-shuffle-logagg", new ClusterSpec(2, 2, true, false, "", false, false, true).id());
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(1, 1, false, false, "", false, true, false));
        assertEquals(new ClusterSpec(2, 2, true, false), new ClusterSpec(2, 2, true, false));
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(0, 2, true, false));
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(2, 0, true, false));
        String uneven = assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(2, 1, true, true))
                .getMessage();
        org.junit.jupiter.api.Assertions.assertTrue(uneven.contains("must be equal"), uneven);
    }
}
