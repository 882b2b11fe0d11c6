package dev.weft.api;

import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import dev.weft.scheduler.BackendFactory;
import dev.weft.scheduler.ClientLauncher;
import java.util.ServiceLoader;

/** Chooses the backend and finds pluggable backends and client launchers on the classpath. */
final class Backends {
    /** Set in the environment of the driver's container, so the driver's context runs the job itself. */
    static final String ROLE_ENV = "WEFT_ROLE";

    private Backends() {}

    /** The concrete backend: {@code auto} means yarn under {@code yarn jar} or inside a Weft driver. */
    static String resolve(WeftConf conf) {
        String b = conf.get(RuntimeConfigKeys.BACKEND);
        if (!b.equals("auto")) {
            return b;
        }
        return isDriver() || launchedByRunJar() ? "yarn" : "local";
    }

    static boolean isDriver() {
        return "driver".equals(System.getenv(ROLE_ENV)) || "driver".equals(System.getProperty("weft.role"));
    }

    /** On an edge node: a cluster backend, but not inside the driver itself. */
    static boolean isClient(WeftConf conf) {
        return !resolve(conf).equals("local") && !isDriver();
    }

    private static boolean launchedByRunJar() {
        return StackWalker.getInstance()
                .walk(s -> s.anyMatch(f -> f.getClassName().equals("org.apache.hadoop.util.RunJar")));
    }

    static BackendFactory factory(String name) {
        for (BackendFactory f : ServiceLoader.load(BackendFactory.class, classLoader())) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("no backend '" + name + "' on the classpath (weft.backend=" + name
                + "; the yarn backend is in weft-yarn-am)");
    }

    static ClientLauncher launcher(String name) {
        for (ClientLauncher l : ServiceLoader.load(ClientLauncher.class, classLoader())) {
            if (l.name().equals(name)) {
                return l;
            }
        }
        throw new IllegalArgumentException("no client launcher for backend '" + name + "' on the classpath");
    }

    private static ClassLoader classLoader() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return cl != null ? cl : Backends.class.getClassLoader();
    }
}
