package dev.weft.yarn;

import dev.weft.scheduler.BackendFactory;
import dev.weft.scheduler.DriverContext;
import dev.weft.scheduler.SchedulerBackend;

/** {@code weft.backend=yarn}: executors in YARN containers, driven from the ApplicationMaster. */
public final class YarnBackendFactory implements BackendFactory {
    @Override
    public String name() {
        return "yarn";
    }

    @Override
    public SchedulerBackend create(DriverContext driver) {
        return new YarnBackend(driver);
    }
}
