package dev.weft.executor;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigKeyProvider;
import dev.weft.executor.rpc.RpcConfig;
import java.util.List;

/**
 * executor-container's keys: those of the driver-executor protocol ({@link RpcConfig}: {@code weft.rpc.*} and the
 * executor heartbeats). Both sides read them, and both sides have this module on their classpath; executors get
 * the values as {@code --conf} arguments.
 */
public final class ExecutorConfigKeys implements ConfigKeyProvider {
    public static final String MODULE = "executor-container";

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return RpcConfig.KEYS;
    }
}
