package ditto.shell;

import java.util.Objects;

/**
 * What one shell command answers: the text to print and whether the command succeeded.
 *
 * <p>The text never ends with a line break; a failed command's text reads
 * {@code error (code): message}. Immutable.
 *
 * @param text the text to print, never null (may be empty)
 * @param ok true if the command succeeded
 */
public record Reply(String text, boolean ok) {

    /**
     * Creates a reply.
     *
     * @throws NullPointerException if {@code text} is null
     */
    public Reply {
        Objects.requireNonNull(text, "text");
    }

    static Reply ok(String text) {
        return new Reply(text, true);
    }

    static Reply error(String code, String message) {
        return new Reply("error (" + code + "): " + message, false);
    }
}
