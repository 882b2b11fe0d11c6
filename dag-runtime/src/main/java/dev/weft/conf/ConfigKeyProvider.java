package dev.weft.conf;

import java.util.List;

/**
 * The keys one module owns, found with {@link java.util.ServiceLoader}: each module that reads {@code weft.*} keys
 * lists its implementation in {@code META-INF/services/dev.weft.conf.ConfigKeyProvider}, and {@link ConfigRegistry}
 * collects every provider on the classpath. The prefixes a module owns are known to {@link ConfigRegistry} even
 * when the module is absent, so a local-only program accepts {@code weft.yarn.*} keys it cannot check.
 *
 * <p>Implementations are stateless; {@link #keys()} returns the same list on every call and may be called from any
 * thread.
 */
public interface ConfigKeyProvider {
    /** The Maven module (artifact id without {@code weft-}) whose code reads these keys, e.g. {@code yarn-am}. */
    String module();

    /** Every key of the module; each key's {@link ConfigKey#owner()} equals {@link #module()}. */
    List<ConfigKey<?>> keys();
}
