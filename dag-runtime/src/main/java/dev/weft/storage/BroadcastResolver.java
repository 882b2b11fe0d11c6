package dev.weft.storage;

/** Resolves a broadcast id to its value on an executor (deserialized once per executor). Thread-safe. */
public interface BroadcastResolver {
    Object value(long broadcastId);
}
