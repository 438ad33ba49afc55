package dev.rendezvous.server.config;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/**
 * The "did you mean" of every place a person types a name: config keys, command-line options. Names are
 * compared by edit distance where swapping two neighbouring characters is one edit, so {@code --prot}
 * finds {@code --port} rather than a longer name sharing its prefix.
 */
public final class Suggestions {
    private Suggestions() {}

    /** The known name closest to {@code typed}, if one is close enough to be what was meant. */
    public static Optional<String> closest(String typed, Collection<String> known) {
        return known.stream()
                .min(Comparator.comparingInt((String k) -> distance(k, typed)).thenComparing(Comparator.naturalOrder()))
                .filter(k -> distance(k, typed) <= Math.max(2, typed.length() / 3));
    }

    /** Optimal-string-alignment distance: insertions, deletions, substitutions and adjacent swaps cost one. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
