package dev.weft.api;

import dev.weft.conf.RuntimeConfigKeys;
import dev.weft.conf.WeftConf;
import dev.weft.events.WeftListener;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listeners named by {@code weft.listeners}, created once per context: each class is loaded through the context
 * class loader (the user's jar on YARN) and built with its {@code (WeftConf, Configuration)} constructor, or its
 * no-argument one. A name that cannot become a listener fails the context's start with the reason, since a job that
 * runs without the listener its user configured (an audit log, a test's fault points) is worse than one that does
 * not start.
 *
 * <p>Not thread-safe; the context creates and closes it on one thread.
 */
final class ExtraListeners implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ExtraListeners.class);

    private final List<WeftListener> listeners;

    private ExtraListeners(List<WeftListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    static ExtraListeners create(WeftConf conf, Configuration hadoopConf) {
        List<String> names = conf.get(RuntimeConfigKeys.LISTENERS);
        List<WeftListener> created = new ArrayList<>();
        try {
            for (String name : names) {
                created.add(instantiate(name, conf, hadoopConf));
            }
        } catch (RuntimeException e) {
            new ExtraListeners(created).close();
            throw e;
        }
        return new ExtraListeners(created);
    }

    List<WeftListener> listeners() {
        return listeners;
    }

    private static WeftListener instantiate(String name, WeftConf conf, Configuration hadoopConf) {
        String key = RuntimeConfigKeys.LISTENERS.name();
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = ExtraListeners.class.getClassLoader();
        }
        Class<?> type;
        try {
            type = Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalArgumentException(key + ": class " + name + " cannot be loaded: " + e, e);
        }
        if (!WeftListener.class.isAssignableFrom(type)) {
            throw new IllegalArgumentException(
                    key + ": " + name + " does not implement " + WeftListener.class.getName());
        }
        try {
            Object listener;
            Constructor<?> withConf = constructor(type, WeftConf.class, Configuration.class);
            if (withConf != null) {
                listener = withConf.newInstance(conf, new Configuration(hadoopConf));
            } else {
                Constructor<?> plain = constructor(type);
                if (plain == null) {
                    throw new IllegalArgumentException(key + ": " + name + " has neither a public (WeftConf,"
                            + " Configuration) constructor nor a public no-argument one");
                }
                listener = plain.newInstance();
            }
            LOG.info("added listener {} ({})", name, key);
            return (WeftListener) listener;
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException(
                    key + ": the constructor of " + name + " threw " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(key + ": cannot create " + name + ": " + e, e);
        }
    }

    private static Constructor<?> constructor(Class<?> type, Class<?>... parameters) {
        try {
            return type.getConstructor(parameters);
        } catch (NoSuchMethodException e) {
            return null;
        }
    }

    /** Closes every listener that is {@link AutoCloseable}, in creation order; a failure is logged, not thrown. */
    @Override
    public void close() {
        for (WeftListener l : listeners) {
            if (l instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    LOG.warn("closing listener {} failed: {}", l.getClass().getName(), e.toString());
                }
            }
        }
    }
}
