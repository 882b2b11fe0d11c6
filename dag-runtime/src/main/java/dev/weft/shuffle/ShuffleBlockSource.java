package dev.weft.shuffle;

import java.io.IOException;
import java.io.InputStream;

/** One map output's block for one reduce partition, readable only after its checksum is verified. */
public interface ShuffleBlockSource {
    int mapId();

    String location();

    InputStream open() throws IOException;
}
