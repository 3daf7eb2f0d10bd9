package ditto.api;

import java.util.Objects;

/**
 * The one exception type of the Ditto API.
 *
 * <p>Every API method reports failure by throwing this unchecked exception. Compare
 * {@link #code()} to decide what happened; the message reads "what failed: why". Plug-in and
 * library exceptions are translated at the engine boundary and kept as the {@linkplain
 * #getCause() cause}. Instances are immutable and safe to share between threads.
 */
public class DittoException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;

    /**
     * Creates an exception.
     *
     * @param code the failure kind, never null
     * @param message what failed and why, never null
     * @throws NullPointerException if {@code code} or {@code message} is null
     */
    public DittoException(ErrorCode code, String message) {
        this(code, message, null);
    }

    /**
     * Creates an exception that wraps a cause.
     *
     * @param code the failure kind, never null
     * @param message what failed and why, never null
     * @param cause the underlying failure, may be null
     * @throws NullPointerException if {@code code} or {@code message} is null
     */
    public DittoException(ErrorCode code, String message, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
    }

    /** Returns the stable failure kind, never null. */
    public ErrorCode code() {
        return code;
    }

    /** Returns {@code "DittoException(code): message"}. */
    @Override
    public String toString() {
        return "DittoException(" + code.wireName() + "): " + getMessage();
    }
}
