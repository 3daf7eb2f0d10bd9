package ditto.engine.dql;

/**
 * A compiled LIKE pattern: {@code %} matches any run of characters (also none), {@code _}
 * exactly one character (a code point), {@code \} makes the next character literal; the whole
 * string must match. ILIKE compares case-insensitively (Unicode simple case folding per code
 * point). Matching is the iterative wildcard algorithm, O(pattern × text) in the worst case,
 * never exponential, and uses no regular expressions. Immutable and thread-safe.
 */
final class LikePattern {

    private static final int ANY_RUN = -1;
    private static final int ANY_ONE = -2;

    private final int[] tokens;
    private final boolean ignoreCase;

    private LikePattern(int[] tokens, boolean ignoreCase) {
        this.tokens = tokens;
        this.ignoreCase = ignoreCase;
    }

    static LikePattern compile(String pattern, boolean ignoreCase) {
        int[] tokens = new int[pattern.codePointCount(0, pattern.length())];
        int n = 0;
        for (int i = 0; i < pattern.length(); ) {
            int cp = pattern.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '%') {
                if (n == 0 || tokens[n - 1] != ANY_RUN) {
                    tokens[n++] = ANY_RUN;
                }
            } else if (cp == '_') {
                tokens[n++] = ANY_ONE;
            } else {
                if (cp == '\\' && i < pattern.length()) {
                    cp = pattern.codePointAt(i);
                    i += Character.charCount(cp);
                }
                tokens[n++] = ignoreCase ? fold(cp) : cp;
            }
        }
        return new LikePattern(java.util.Arrays.copyOf(tokens, n), ignoreCase);
    }

    private static int fold(int cp) {
        return Character.toLowerCase(Character.toUpperCase(cp));
    }

    boolean matches(String s) {
        int[] text = s.codePoints().toArray();
        int t = 0;
        int p = 0;
        int starP = -1;
        int starT = 0;
        while (t < text.length) {
            if (p < tokens.length && tokens[p] != ANY_RUN
                    && (tokens[p] == ANY_ONE || tokens[p] == (ignoreCase ? fold(text[t]) : text[t]))) {
                p++;
                t++;
            } else if (p < tokens.length && tokens[p] == ANY_RUN) {
                starP = p++;
                starT = t;
            } else if (starP >= 0) {
                p = starP + 1;
                t = ++starT;
            } else {
                return false;
            }
        }
        while (p < tokens.length && tokens[p] == ANY_RUN) {
            p++;
        }
        return p == tokens.length;
    }
}
