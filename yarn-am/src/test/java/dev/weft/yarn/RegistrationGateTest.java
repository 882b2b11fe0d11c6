package dev.weft.yarn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RegistrationGateTest {
    @Test
    void holdsRegistrationsUntilEnoughArriveThenPassesEverythingInOrder() {
        List<String> seen = new ArrayList<>();
        try (RegistrationGate gate = new RegistrationGate(3, 60_000)) {
            gate.register(() -> seen.add("a"));
            gate.register(() -> seen.add("b"));
            assertEquals(List.of(), seen);
            assertFalse(gate.isOpen());
            gate.register(() -> seen.add("c"));
            assertEquals(List.of("a", "b", "c"), seen);
            gate.register(() -> seen.add("d"));
            assertEquals(List.of("a", "b", "c", "d"), seen);
        }
    }

    @Test
    void opensAtTheDeadlineWithWhoeverRegistered() throws InterruptedException {
        CountDownLatch released = new CountDownLatch(1);
        try (RegistrationGate gate = new RegistrationGate(5, 50)) {
            gate.register(released::countDown);
            assertFalse(gate.clockStarted(), "the deadline does not run before the executors are asked for");
            assertFalse(gate.isOpen());
            gate.startClock();
            assertTrue(released.await(10, TimeUnit.SECONDS), "the deadline released the held registration");
            assertTrue(gate.isOpen());
            gate.startClock();
            assertTrue(gate.isOpen(), "a second start after opening changes nothing");
        }
    }

    @Test
    void enoughRegistrationsOpenItWithoutTheClock() {
        List<String> seen = new ArrayList<>();
        try (RegistrationGate gate = new RegistrationGate(1, 60_000)) {
            gate.register(() -> seen.add("a"));
            assertEquals(List.of("a"), seen);
            assertTrue(gate.isOpen());
            gate.startClock();
            assertFalse(gate.clockStarted(), "an open gate needs no deadline");
        }
    }

    @Test
    void refusesANegativeWait() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new RegistrationGate(1, -1));
        assertTrue(e.getMessage().contains("maxWaitMillis"), e.getMessage());
    }
}
