package com.example.app;

import dev.weft.api.WeftContext;
import dev.weft.core.Pair;
import java.util.Arrays;
import java.util.Locale;

/**
 * Counts the words of a text and writes {@code (word,count)} lines sorted by word:
 * {@code yarn jar word-frequencies-1.0.jar [-D key=value ...] <input> <output>}.
 */
public final class WordFrequencies {
    private WordFrequencies() {}

    public static void main(String[] args) {
        try (WeftContext ctx = WeftContext.create(args)) {
            String[] a = ctx.args();
            ctx.textFile(a[0])
                    .flatMap(line -> Arrays.asList(line.toLowerCase(Locale.ROOT).split("\\W+")).iterator())
                    .filter(word -> !word.isEmpty())
                    .mapToPair(word -> Pair.of(word, 1L))
                    .reduceByKey(Long::sum)
                    .sortByKey()
                    .saveAsTextFile(a[1]);
        }
    }
}
