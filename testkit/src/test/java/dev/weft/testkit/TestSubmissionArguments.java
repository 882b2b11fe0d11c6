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
        assertEquals("2nm-1dn-noshuffle", new ClusterSpec(2, 1, false).id());
        assertEquals(new ClusterSpec(2, 2, true), new ClusterSpec(2, 2, true));
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(0, 2, true));
        assertThrows(IllegalArgumentException.class, () -> new ClusterSpec(2, 0, true));
    }
}
