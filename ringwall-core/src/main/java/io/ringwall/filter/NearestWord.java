package io.ringwall.filter;

import java.util.List;
import java.util.Locale;

/**
 * "Did you mean ...?" for misspelled keywords: the closest candidate by edit distance, if close enough. Used by
 * the rule parser and by the configuration loader.
 */
public final class NearestWord {
    /** Longer words than this are not compared: bounds the quadratic distance computation. */
    static final int MAX_COMPARED_LENGTH = 64;

    private NearestWord() {
    }

    /** The nearest candidate, or {@code null} when nothing is plausibly what the user meant. */
    public static String nearest(String word, List<String> candidates) {
        if (word.length() > MAX_COMPARED_LENGTH) {
            return null;
        }
        String lower = word.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(lower, c);
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        // Allow about one typo per three letters, at least one, so "dprot" -> "dport" but "xyz" suggests nothing.
        int allowed = Math.max(1, Math.min(word.length(), best == null ? 0 : best.length()) / 3);
        return bestDistance <= allowed ? best : null;
    }

    /** The " (did you mean 'x'?)" or " (expected one of: a, b)" tail of an error message. */
    static String hint(String word, List<String> candidates) {
        String best = nearest(word, candidates);
        return best != null ? " (did you mean '" + best + "'?)" : " (expected one of: " + String.join(", ", candidates) + ")";
    }

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions (the commonest typo). */
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
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return d[a.length()][b.length()];
    }
}
