package com.example.wordcount;

import dev.weft.api.WeftContext;
import dev.weft.core.Pair;
import java.util.Arrays;
import java.util.Locale;

/** {@code yarn jar wordcount-pipeline.jar com.example.wordcount.WordCount <input> <output>}. */
public final class WordCount {
    private WordCount() {}

    public static void main(String[] args) {
        try (WeftContext ctx = WeftContext.create(args)) {
            String[] a = ctx.args();
            ctx.textFile(a[0])
                    .flatMap(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("\\W+")).iterator())
                    .filter(word -> !word.isEmpty())
                    .mapToPair(word -> Pair.of(word, 1L))
                    .reduceByKey(Long::sum)
                    .saveAsTextFile(a[1]);
        }
    }
}
