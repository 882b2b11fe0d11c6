package dev.weft.conf;

import java.util.List;

/** A provider with a fixed module name and keys, to build registries that mimic other modules' presence. */
record TestingConfigKeyProvider(String module, List<ConfigKey<?>> keys) implements ConfigKeyProvider {}
