package ditto.engine.dql;

import java.util.regex.Pattern;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * A string view for regular-expression matching that counts character reads and fails once a
 * budget is spent, so a pattern that backtracks catastrophically (written by a user, or by a
 * remote peer in a subscription) costs bounded time instead of hanging the evaluating thread.
 * The budget is {@value #BASE_BUDGET} reads plus {@value #PER_CHAR_BUDGET} per character of the
 * subject: far above what a linear-time match needs. One instance per match; not thread-safe.
 */
final class BoundedText implements CharSequence {

    static final long BASE_BUDGET = 2_000_000;
    static final long PER_CHAR_BUDGET = 64;

    private final String text;
    private final String what;
    private long budget;

    private BoundedText(String text, String what, long budget) {
        this.text = text;
        this.what = what;
        this.budget = budget;
    }

    /** Returns {@code pattern.matcher(text).matches()} (whole) or {@code find()} (anywhere), within budget. */
    static boolean match(Pattern pattern, String text, boolean whole, String what) {
        BoundedText bounded = new BoundedText(text, what, BASE_BUDGET + PER_CHAR_BUDGET * text.length());
        try {
            return whole ? pattern.matcher(bounded).matches() : pattern.matcher(bounded).find();
        } catch (StackOverflowError e) {
            throw new DittoException(ErrorCode.QUERY_EXECUTION, what + ": the pattern '" + Lexer.abbreviate(pattern.pattern())
                    + "' recursed too deeply on a " + text.length() + "-character string");
        }
    }

    @Override
    public char charAt(int index) {
        if (--budget < 0) {
            throw new DittoException(ErrorCode.QUERY_EXECUTION, what + ": matching the pattern on a " + text.length()
                    + "-character string took too many steps (the pattern backtracks catastrophically)");
        }
        return text.charAt(index);
    }

    @Override
    public int length() {
        return text.length();
    }

    @Override
    public CharSequence subSequence(int start, int end) {
        return text.subSequence(start, end);
    }

    @Override
    public String toString() {
        return text;
    }
}
