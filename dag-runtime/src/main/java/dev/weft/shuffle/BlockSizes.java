package dev.weft.shuffle;

import java.io.Serializable;

/**
 * The sizes of one map output's reduce blocks as the driver keeps them: exact about which blocks are empty,
 * approximate about the others' lengths. Readers skip empty blocks and use {@link #estimatedLength} only to
 * plan fetches; a block's real length always comes from the map output's index file, so no estimate can make
 * a read wrong.
 *
 * <p>{@link #of} picks the encoding by the number of blocks, as Spark does at 2,000 partitions: up to
 * {@link #EXACT_ENCODING_MAX_BLOCKS} blocks, one log-scale byte per block ({@link LogScaleBlockSizes}); above it,
 * the set of empty blocks, one average and the exact sizes of the few huge blocks ({@link AveragedBlockSizes}),
 * so a 10,000 × 10,000 shuffle needs megabytes on the driver, not the 800 MB of one {@code long} per block.
 *
 * <p>Immutable and thread-safe; Java-serializable (it travels inside {@link MapStatus}).
 */
public sealed interface BlockSizes extends Serializable permits LogScaleBlockSizes, AveragedBlockSizes {
    /** Above this many blocks a map output keeps an average instead of a size per block. */
    int EXACT_ENCODING_MAX_BLOCKS = 2000;

    /** Encodes {@code lengths} (one per reduce partition, each >= 0); does not keep the array. */
    static BlockSizes of(long[] lengths) {
        return lengths.length <= EXACT_ENCODING_MAX_BLOCKS
                ? LogScaleBlockSizes.of(lengths)
                : AveragedBlockSizes.of(lengths);
    }

    int numBlocks();

    /** Whether block {@code reduceId} holds no bytes; exact. */
    boolean isEmpty(int reduceId);

    /** An estimate of block {@code reduceId}'s length in bytes (0 exactly when it is empty); see the encodings. */
    long estimatedLength(int reduceId);
}
