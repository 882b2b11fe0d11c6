package dev.weft.executor;

import dev.weft.conf.ConfigKey;
import dev.weft.conf.ConfigKeyProvider;
import dev.weft.executor.rpc.RpcConfig;
import dev.weft.executor.shuffle.ShuffleFetchConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * executor-container's keys: those of the driver-executor protocol ({@link RpcConfig}: {@code weft.rpc.*} and the
 * executor heartbeats), which both sides read, and those of the reduce side's block fetching
 * ({@link ShuffleFetchConfig}: {@code weft.shuffle.fetch.*}), which executors read. Executors get the values as
 * {@code --conf} arguments.
 */
public final class ExecutorConfigKeys implements ConfigKeyProvider {
    public static final String MODULE = "executor-container";

    @Override
    public String module() {
        return MODULE;
    }

    @Override
    public List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(RpcConfig.KEYS);
        keys.addAll(ShuffleFetchConfig.KEYS);
        return List.copyOf(keys);
    }
}
