package dev.weft.transport.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TestInFlightBudget {
    @Test
    void oneApplicationAloneMayUseTheWholeBudget() {
        InFlightBudget budget = new InFlightBudget(100);
        assertTrue(budget.tryAcquire("a", 60));
        assertTrue(budget.tryAcquire("a", 40));
        assertFalse(budget.tryAcquire("a", 1));
        assertEquals(100, budget.used());
    }

    @Test
    void aTenantHoldingTheWholeBudgetDoesNotStarveAnother() {
        InFlightBudget budget = new InFlightBudget(100);
        assertTrue(budget.tryAcquire("greedy", 100));
        assertTrue(budget.tryAcquire("other", 30), "an application with nothing in flight is admitted");
        assertTrue(budget.tryAcquire("other", 20), "up to its half of the budget");
        assertFalse(budget.tryAcquire("other", 1));
        assertFalse(budget.tryAcquire("greedy", 1), "the greedy one is over its half");
        budget.release("other", 50);
        budget.release("greedy", 60);
        assertTrue(budget.tryAcquire("greedy", 60), "alone again: the whole budget");
        assertEquals(100, budget.used());
    }

    @Test
    void aBlockLargerThanTheBudgetIsServedWhenItsApplicationHasNothingInFlight() {
        InFlightBudget budget = new InFlightBudget(10);
        assertTrue(budget.tryAcquire("a", 1_000));
        assertFalse(budget.tryAcquire("a", 1));
        budget.release("a", 1_000);
        assertEquals(0, budget.used());
        assertThrows(IllegalStateException.class, () -> budget.release("a", 1));
    }
}
