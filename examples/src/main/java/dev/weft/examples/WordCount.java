package dev.weft.examples;

import dev.weft.annotations.SuppressForbidden;
import dev.weft.api.PairDataset;
import dev.weft.api.WeftContext;
import dev.weft.core.Pair;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * Counts words: {@code yarn jar weft-examples.jar dev.weft.examples.WordCount <input> <output>}.
 * Writes {@code (word,count)} lines and prints the ten most frequent words.
 */
@SuppressForbidden("an example program: its result goes to the terminal")
public final class WordCount {
    private WordCount() {}

    public static void main(String[] args) {
        try (WeftContext ctx = WeftContext.create(args)) {
            String[] a = ctx.args();
            if (a.length != 2) {
                throw new IllegalArgumentException("usage: WordCount <input> <output>");
            }
            PairDataset<String, Long> counts = ctx.textFile(a[0])
                    .flatMap(WordCount::words)
                    .mapToPair(w -> Pair.of(w, 1L))
                    .reduceByKey(Long::sum);
            counts.saveAsTextFile(a[1]);
            List<Pair<Long, String>> top = counts.mapToPair(p -> Pair.of(p.value(), p.key()))
                    .sortByKey(false, 1)
                    .take(10);
            System.out.println("top words:");
            for (Pair<Long, String> p : top) {
                System.out.printf(Locale.ROOT, "  %-20s %d%n", p.value(), p.key());
            }
            System.out.println("output: " + a[1]);
        }
    }

    /** Lower-cased runs of letters and digits. */
    public static Iterator<String> words(String line) {
        List<String> out = new ArrayList<>();
        int start = -1;
        for (int i = 0; i <= line.length(); i++) {
            boolean letter = i < line.length() && Character.isLetterOrDigit(line.charAt(i));
            if (letter && start < 0) {
                start = i;
            } else if (!letter && start >= 0) {
                out.add(line.substring(start, i).toLowerCase(Locale.ROOT));
                start = -1;
            }
        }
        return out.iterator();
    }
}
