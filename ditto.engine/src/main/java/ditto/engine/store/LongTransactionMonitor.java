package ditto.engine.store;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.tinylog.Logger;

import ditto.api.TransactionInfo;

/**
 * Logs transactions that stay open too long: once a transaction has been open for the
 * threshold (setting {@code TRANSACTION_DURATION_BEFORE_LOGGING_MS}, 10 s by default) a warning
 * names it, its hint and its age, and again every {@value #REPEAT_MILLIS} ms while it stays open.
 * {@link #check} runs on the instance's maintenance scheduler about once a second; tests call it
 * with their own time.
 *
 * <p>Thread-safe: transactions register and unregister from their own threads while the
 * scheduler checks. Invariant: a transaction is registered exactly while it is open.
 */
final class LongTransactionMonitor {

    /** The interval between repeated warnings about one transaction. */
    static final long REPEAT_MILLIS = 5_000;

    private static final class Watch {
        final TransactionInfo info;
        final long startNanos;
        long nextLogNanos = Long.MIN_VALUE;

        Watch(TransactionInfo info, long startNanos) {
            this.info = info;
            this.startNanos = startNanos;
        }
    }

    private final Map<Object, Watch> open = new ConcurrentHashMap<>();

    /** Starts watching a transaction that opened at {@code startNanos} ({@link System#nanoTime()}). */
    void register(Object tx, TransactionInfo info, long startNanos) {
        open.put(tx, new Watch(info, startNanos));
    }

    /** Stops watching a transaction (it completed). */
    void unregister(Object tx) {
        open.remove(tx);
    }

    /** Returns how many transactions are open now. */
    int openCount() {
        return open.size();
    }

    /**
     * Logs every transaction due for a warning.
     *
     * @param nowNanos the current {@link System#nanoTime()}
     * @param thresholdMillis how long a transaction may stay open before it is logged
     * @return the messages logged, for tests
     */
    synchronized List<String> check(long nowNanos, long thresholdMillis) {
        List<String> logged = new ArrayList<>();
        long threshold = TimeUnit.MILLISECONDS.toNanos(thresholdMillis);
        for (Watch w : open.values()) {
            long age = nowNanos - w.startNanos;
            if (age < threshold) {
                continue;
            }
            if (w.nextLogNanos != Long.MIN_VALUE && nowNanos - w.nextLogNanos < 0) {
                continue;
            }
            w.nextLogNanos = nowNanos + TimeUnit.MILLISECONDS.toNanos(REPEAT_MILLIS);
            String message = "transaction " + w.info.id() + w.info.hint().map(h -> " ('" + h + "')").orElse("")
                    + (w.info.isReadOnly() ? " (read-only)" : " (read-write)") + " has been open for "
                    + TimeUnit.NANOSECONDS.toMillis(age) + " ms; keep transactions short ("
                    + (w.info.isReadOnly() ? "it keeps an old snapshot alive)" : "other writers wait for it)");
            Logger.warn(message);
            logged.add(message);
        }
        return logged;
    }
}
