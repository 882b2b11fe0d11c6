package dev.weft.events;

/** What an exclusion keeps tasks away from. */
public enum ExclusionScope {
    /** One executor; the event's target is its id. */
    EXECUTOR,
    /** Every executor on one node, and (on YARN) new containers there; the event's target is the host. */
    NODE
}
