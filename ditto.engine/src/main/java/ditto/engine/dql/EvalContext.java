package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import ditto.api.AttachmentTokenLike;
import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * What an evaluation needs besides the document: the statement's arguments (validated and
 * converted once, here) and the clock that {@code clock()} reads. Thread-safe; the arguments
 * are immutable and the statement time ({@link #now()}) is fixed at its first read, so use one
 * instance per statement execution.
 *
 * <p>Arguments may be any JSON-model value (see {@link DqlValues}), {@code byte[]}, and
 * attachment tokens at any depth. Narrow boxed numbers are widened (Integer to Long, Float to
 * Double); NaN and infinities are rejected. Values of other types go through the
 * {@link ArgumentConverter}; the default one turns an {@link AttachmentTokenLike} into the
 * token's map form ({@link ditto.api.AttachmentToken#toMap()}), which is what documents store.
 */
public final class EvalContext {

    /** Deepest argument value accepted (nesting of arrays and objects). */
    public static final int MAX_ARGUMENT_DEPTH = 256;

    /**
     * Turns an argument value outside the JSON model (for example an attachment token) into the
     * JSON-model value the store keeps. Must be thread-safe.
     */
    @FunctionalInterface
    public interface ArgumentConverter {
        /**
         * Converts one value.
         *
         * @param name the parameter name, for error messages
         * @param value a non-null value that is not a JSON-model value
         * @return a JSON-model value (it is validated again, without conversion)
         * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the type is not supported
         */
        Object convert(String name, Object value);
    }

    /** Converts {@link AttachmentTokenLike} values to their token's map form; rejects anything else. */
    public static final ArgumentConverter DEFAULT_CONVERTER = (name, value) -> {
        if (value instanceof AttachmentTokenLike token) {
            return token.toToken().toMap();
        }
        throw unsupported(name, value);
    };

    private final Map<String, Object> arguments;
    private final Clock clock;
    private final java.util.concurrent.atomic.AtomicLong now = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);

    private EvalContext(Map<String, Object> arguments, Clock clock) {
        this.arguments = arguments;
        this.clock = clock;
    }

    /** Returns a new context without arguments, on the system UTC clock. */
    public static EvalContext empty() {
        return new EvalContext(Map.of(), Clock.systemUTC());
    }

    /**
     * Returns a context on the system UTC clock with the default converter.
     *
     * @param arguments parameter values keyed by name without the colon; null means none
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} naming a bad argument
     */
    public static EvalContext of(Map<String, ?> arguments) {
        return of(arguments, Clock.systemUTC(), DEFAULT_CONVERTER);
    }

    /**
     * Returns a context with the default converter.
     *
     * @param arguments parameter values keyed by name without the colon; null means none
     * @param clock the time source of {@code clock()}, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} naming a bad argument
     */
    public static EvalContext of(Map<String, ?> arguments, Clock clock) {
        return of(arguments, clock, DEFAULT_CONVERTER);
    }

    /**
     * Returns a context.
     *
     * @param arguments parameter values keyed by name without the colon; null means none
     * @param clock the time source of {@code clock()}, never null
     * @param converter converts values outside the JSON model, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} naming a bad argument
     */
    public static EvalContext of(Map<String, ?> arguments, Clock clock, ArgumentConverter converter) {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(converter, "converter");
        Map<String, Object> checked = new LinkedHashMap<>();
        if (arguments != null) {
            for (Map.Entry<String, ?> e : arguments.entrySet()) {
                if (e.getKey() == null) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "query arguments: a key is null");
                }
                String name = e.getKey().startsWith(":") ? e.getKey().substring(1) : e.getKey();
                checked.put(name, check(name, e.getValue(), converter, 0));
            }
        }
        return new EvalContext(Collections.unmodifiableMap(checked), clock);
    }

    private static Object check(String name, Object v, ArgumentConverter converter, int depth) {
        if (depth > MAX_ARGUMENT_DEPTH) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "query argument '" + name + "': nested deeper than " + MAX_ARGUMENT_DEPTH + " levels");
        }
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long
                || v instanceof BigInteger || v instanceof byte[]) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (!Double.isFinite(d)) {
                throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                        "query argument '" + name + "': " + d + " is not a finite number");
            }
            return d;
        }
        if (v instanceof BigDecimal) {
            return v;
        }
        if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            for (Object item : list) {
                out.add(check(name, item, converter, depth + 1));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "query argument '" + name
                            + "': object keys must be strings, got " + (e.getKey() == null ? "null"
                            : e.getKey().getClass().getSimpleName()));
                }
                out.put(key, check(name, e.getValue(), converter, depth + 1));
            }
            return Collections.unmodifiableMap(out);
        }
        if (converter != null) {
            return check(name, converter.convert(name, v), null, depth);
        }
        throw unsupported(name, v);
    }

    private static DittoException unsupported(String name, Object value) {
        return new DittoException(ErrorCode.INVALID_ARGUMENTS, "query argument '" + name + "': type "
                + value.getClass().getName() + " is not supported (use JSON values, byte[] or attachment tokens)");
    }

    /** Returns the validated arguments (unmodifiable), keyed by name without the colon. */
    public Map<String, Object> arguments() {
        return arguments;
    }

    /** Returns the clock that {@code clock()} reads. */
    public Clock clock() {
        return clock;
    }

    /**
     * Returns the statement's current time in epoch milliseconds: the clock is read on the first
     * call and the same value is returned afterwards, so every {@code clock()} of one statement
     * execution agrees (as SQL's CURRENT_TIMESTAMP does).
     */
    public long now() {
        long t = now.get();
        if (t == Long.MIN_VALUE) {
            now.compareAndSet(Long.MIN_VALUE, clock.millis());
            t = now.get();
        }
        return t;
    }

    /**
     * Returns a parameter's value.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} naming the parameter if no
     *         argument was given for it
     */
    public Object argument(String name) {
        Object v = arguments.get(name);
        if (v == null && !arguments.containsKey(name)) {
            throw missing(name);
        }
        return v;
    }

    /**
     * Checks that every parameter of {@code statement} has an argument, so that an execution
     * fails before it reads anything even when no document would reach the parameter.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} naming the first missing parameter
     */
    public void requireParameters(Statement statement) {
        for (String p : Dql.parameters(statement)) {
            if (!arguments.containsKey(p)) {
                throw missing(p);
            }
        }
    }

    private static DittoException missing(String name) {
        return new DittoException(ErrorCode.INVALID_ARGUMENTS,
                "query arguments: no argument was given for parameter :" + name);
    }
}
