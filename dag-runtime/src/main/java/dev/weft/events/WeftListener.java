package dev.weft.events;

/**
 * Observes scheduler events. Called on the scheduler thread in event order: keep it fast and never block
 * (hand work to another thread). An exception is logged and does not affect the job.
 */
@FunctionalInterface
public interface WeftListener {
    void onEvent(WeftEvent event);
}
