package dev.weft.exec;

import dev.weft.shuffle.MapStatus;
import dev.weft.shuffle.ShuffleBlockSource;

/** Turns a map status into a readable block for one reduce partition (local file or remote fetch). */
public interface ShuffleBlockProvider {
    ShuffleBlockSource block(MapStatus status, int reduceId);
}
