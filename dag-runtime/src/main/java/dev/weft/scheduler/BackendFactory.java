package dev.weft.scheduler;

/**
 * Creates the scheduler backend named by {@code weft.backend} ("local" is built in; others, such as
 * "yarn", are found with {@link java.util.ServiceLoader} so the engine core never depends on them).
 */
public interface BackendFactory {
    /** The {@code weft.backend} value this factory serves. */
    String name();

    SchedulerBackend create(DriverContext driver);
}
