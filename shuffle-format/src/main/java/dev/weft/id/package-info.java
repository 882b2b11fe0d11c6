/**
 * Typed identities that cross module boundaries: shuffles, map outputs, task attempts and executors. They
 * live in shuffle-format, the leaf module that the engine, the executor and the NodeManager service all see,
 * so no module needs another to name them. Wire formats (protobuf, file names) keep plain numbers; code
 * converts at that edge with {@code value()} and the constructors.
 */
package dev.weft.id;
