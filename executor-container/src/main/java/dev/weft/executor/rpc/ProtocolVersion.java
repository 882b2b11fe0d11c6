package dev.weft.executor.rpc;

/** The version of the driver-executor protocol; bumped on any incompatible change to executor_protocol.proto. */
public final class ProtocolVersion {
    public static final int CURRENT = 2;

    private ProtocolVersion() {}
}
