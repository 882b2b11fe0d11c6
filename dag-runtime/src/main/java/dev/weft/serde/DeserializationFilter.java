package dev.weft.serde;

import java.io.ObjectInputFilter;

/**
 * The filter every Java deserialization in Weft goes through ({@link ValueSerializer.ContextObjectInputStream}):
 * task outcomes, exceptions and Java-serialized values that executors send the driver, and tasks the driver sends
 * executors. An executor is a tenant's process and the bytes it sends are untrusted.
 *
 * <p>What it can and cannot be: the protocol carries the user's own values (any {@code Serializable} class of the
 * application's jar or its libraries), and in a YARN container the application's classes and Hadoop's share one class
 * path, so an allow-list of "the protocol's classes plus the user's" cannot be told apart by class loader. The filter
 * therefore refuses the classes that known deserialization gadget chains start from or run through (commons
 * collections functors, Groovy's runtime, Spring's bean factories, Xalan's translets, JMX and RMI entry points,
 * C3P0, BeanShell, Clojure, Rhino, Jython, ROME, Hibernate's and Vaadin's property accessors), and bounds the graph:
 * depth, references and array lengths, so a few bytes cannot make the driver allocate gigabytes. A JVM-wide filter
 * set with {@code -Djdk.serialFilter} is applied as well (the JDK combines it with this one only when set on the
 * stream, so this class checks it first).
 *
 * <p>Stateless; thread-safe.
 */
public final class DeserializationFilter {
    /** Deepest object graph accepted: far beyond any real value, far below a stack overflow. */
    static final int MAX_DEPTH = 1_000;
    /** Most object references in one stream. */
    static final long MAX_REFS = 20_000_000L;
    /** Longest array accepted: a frame of the driver protocol holds at most 64 MiB, so no honest array is longer. */
    static final long MAX_ARRAY = 64L << 20;

    static final String REFUSED = String.join(
            ";",
            "!org.apache.commons.collections.functors.*",
            "!org.apache.commons.collections4.functors.*",
            "!org.apache.commons.beanutils.BeanComparator",
            "!org.codehaus.groovy.runtime.**",
            "!groovy.lang.**",
            "!org.springframework.beans.factory.**",
            "!org.springframework.aop.**",
            "!com.sun.org.apache.xalan.internal.xsltc.trax.*",
            "!org.apache.xalan.xsltc.trax.*",
            "!javax.management.**",
            "!java.rmi.**",
            "!sun.rmi.**",
            "!com.sun.jndi.**",
            "!com.sun.rowset.**",
            "!com.mchange.v2.c3p0.**",
            "!bsh.**",
            "!clojure.**",
            "!org.mozilla.javascript.**",
            "!org.python.**",
            "!com.sun.syndication.**",
            "!com.rometools.**",
            "!org.hibernate.property.**",
            "!org.hibernate.tuple.**",
            "!com.vaadin.data.util.**",
            "!net.sf.json.**",
            "!org.apache.wicket.util.upload.**",
            "!java.util.logging.FileHandler");

    private static final ObjectInputFilter FILTER = ObjectInputFilter.Config.createFilter(
            "maxdepth=" + MAX_DEPTH + ";maxrefs=" + MAX_REFS + ";maxarray=" + MAX_ARRAY + ";" + REFUSED);

    private DeserializationFilter() {}

    /** This filter, after the JVM-wide one when {@code jdk.serialFilter} is set. */
    public static ObjectInputFilter get() {
        ObjectInputFilter jvmWide = ObjectInputFilter.Config.getSerialFilter();
        if (jvmWide == null) {
            return FILTER;
        }
        return info -> {
            ObjectInputFilter.Status status = jvmWide.checkInput(info);
            return status == ObjectInputFilter.Status.REJECTED ? status : FILTER.checkInput(info);
        };
    }
}
