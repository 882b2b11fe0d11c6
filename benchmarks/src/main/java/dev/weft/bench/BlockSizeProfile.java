package dev.weft.bench;

import java.util.SplittableRandom;

/**
 * Made-up sizes of one map task's reduce blocks, the same for the same map id (seeded), for measuring map-output
 * metadata without writing any shuffle file.
 */
enum BlockSizeProfile {
    /** Every block between 8 and 24 KiB: the common case, nothing empty, nothing huge. */
    UNIFORM {
        @Override
        long size(SplittableRandom r) {
            return 8192 + r.nextInt(16384);
        }
    },
    /** Half the blocks empty at random: the worst case for a set of empty blocks. */
    HALF_EMPTY {
        @Override
        long size(SplittableRandom r) {
            return r.nextBoolean() ? 0 : 1 + r.nextInt(32768);
        }
    },
    /** 10% empty, 1% a thousand times larger than the rest (skewed keys). */
    SKEWED {
        @Override
        long size(SplittableRandom r) {
            int dice = r.nextInt(100);
            if (dice < 10) {
                return 0;
            }
            long base = 512 + r.nextInt(1024);
            return dice == 99 ? base * 1000 : base;
        }
    };

    abstract long size(SplittableRandom r);

    long[] lengths(int mapId, int numReduces) {
        SplittableRandom r = new SplittableRandom(0x5eed_0000L + mapId);
        long[] out = new long[numReduces];
        for (int i = 0; i < numReduces; i++) {
            out[i] = size(r);
        }
        return out;
    }
}
