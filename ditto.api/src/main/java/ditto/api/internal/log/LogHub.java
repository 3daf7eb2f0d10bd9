package ditto.api.internal.log;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.LogLevel;

/**
 * Logger settings and the fan-out of each message; {@code DittoLogger} delegates to one
 * process-wide instance.
 *
 * <pre>
 *  any thread ── log(level, source, message)
 *                 ├─ DEBUG or more severe ─────────────▶ ExportJournal (always; own lock)
 *                 └─ enabled and level ≤ minimum ─┬───▶ console (stderr PrintStream)
 *                                                 ├───▶ LogFileSink (if set; own lock)
 *                                                 └───▶ custom callback (if set; caller's thread)
 * </pre>
 *
 * <p>Invariants: settings are volatile fields read once per message, so a message sees one
 * consistent snapshot of each setting without locking; a message neither journaled nor output
 * returns after two volatile reads and allocates nothing. The callback runs on the logging
 * thread outside every lock; a message logged by the callback itself on that thread reaches the
 * other outputs but not the callback again (no recursion). A throwing callback is reported once
 * on the console and never propagates. Replacing the log file closes the previous one after the
 * new one is opened, so a failed replacement keeps the previous file.
 */
public final class LogHub {
    /** Default of the enabled flag. */
    public static final boolean DEFAULT_ENABLED = true;
    /** Default minimum level for console, file and callback output. */
    public static final LogLevel DEFAULT_MINIMUM_LEVEL = LogLevel.INFO;
    /** Default of the emoji headings flag. */
    public static final boolean DEFAULT_EMOJI_HEADINGS = false;

    private final Supplier<PrintStream> console;
    private final Clock clock;
    private final ExportJournal journal;
    private final Object fileLock = new Object();
    private final ThreadLocal<boolean[]> inCallback = ThreadLocal.withInitial(() -> new boolean[1]);

    private volatile boolean enabled = DEFAULT_ENABLED;
    private volatile LogLevel minimumLevel = DEFAULT_MINIMUM_LEVEL;
    private volatile boolean emojiHeadings = DEFAULT_EMOJI_HEADINGS;
    private volatile LogFileSink logFile;
    private volatile CallbackSlot callback;

    /** A registered callback and whether its first failure was already reported. */
    private record CallbackSlot(BiConsumer<LogLevel, String> consumer, AtomicBoolean failureReported) {
    }

    /**
     * Creates a hub with default settings and an empty journal.
     *
     * @param clock source of message times and of "now" for the journal's age cap
     * @param console where console lines and internal failure reports go, read per message so
     *        that a later {@link System#setErr} is honoured
     * @param journalCapBytes the journal's size cap, in bytes of serialized lines
     * @param journalMaxAge the journal's age cap
     */
    public LogHub(Clock clock, Supplier<PrintStream> console, long journalCapBytes, Duration journalMaxAge) {
        this.clock = Objects.requireNonNull(clock, "clock");
        this.console = Objects.requireNonNull(console, "console");
        this.journal = new ExportJournal(clock, journalCapBytes, journalMaxAge);
    }

    /** Creates the process-wide hub: system UTC clock, {@link System#err}, 15 MiB and 3 days. */
    public static LogHub createDefault() {
        return new LogHub(Clock.systemUTC(), () -> System.err, ExportJournal.DEFAULT_CAP_BYTES,
                ExportJournal.DEFAULT_MAX_AGE);
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public LogLevel minimumLevel() {
        return minimumLevel;
    }

    /** @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code level} is null */
    public void setMinimumLevel(LogLevel level) {
        this.minimumLevel = requireLevel(level, "set the minimum log level");
    }

    public boolean isEmojiHeadings() {
        return emojiHeadings;
    }

    public void setEmojiHeadings(boolean emojiHeadings) {
        this.emojiHeadings = emojiHeadings;
    }

    /**
     * Registers the log file, or unregisters it when {@code path} is null.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the parent directory does not
     *         exist or the file cannot be opened; the previous file stays registered then
     */
    public void setLogFile(Path path) {
        LogFileSink next = path == null ? null : LogFileSink.open(path);
        LogFileSink previous;
        synchronized (fileLock) {
            previous = logFile;
            logFile = next;
        }
        if (previous != null) {
            previous.close();
        }
    }

    /** Returns the absolute path of the registered log file, or null. */
    public Path logFile() {
        LogFileSink sink = logFile;
        return sink == null ? null : sink.path();
    }

    /** Registers the custom callback, replacing any previous one, or removes it when null. */
    public void setCallback(BiConsumer<LogLevel, String> consumer) {
        this.callback = consumer == null ? null : new CallbackSlot(consumer, new AtomicBoolean());
    }

    /** Tells whether a message at {@code level} would reach any output or the journal. */
    public boolean isRecorded(LogLevel level) {
        return ExportJournal.accepts(level) || isOutput(level);
    }

    /**
     * Logs one message.
     *
     * @param level the message's level, never null
     * @param source the logger or class that produced it, or null if unknown
     * @param message the text; null is logged as {@code "null"}
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code level} is null
     */
    public void log(LogLevel level, String source, String message) {
        requireLevel(level, "log a message");
        boolean output = isOutput(level);
        boolean journaled = ExportJournal.accepts(level);
        if (!output && !journaled) {
            return;
        }
        String text = message == null ? "null" : message;
        Instant time = journaled ? journal.append(level, source, text) : clock.instant();
        if (!output) {
            return;
        }
        String line = LogFormat.consoleLine(time, level, source, text, emojiHeadings);
        PrintStream err = console.get();
        err.println(line);
        LogFileSink sink = logFile;
        if (sink != null) {
            sink.writeLine(line, err);
        }
        deliver(level, text, err);
    }

    /** Writes the export journal to {@code target}; see {@link ExportJournal#export(Path)}. */
    public long exportLog(Path target) {
        return journal.export(target);
    }

    /** Returns the export journal, for tests that inspect it directly. */
    public ExportJournal journal() {
        return journal;
    }

    /** Restores every default, closes the log file, removes the callback and empties the journal. */
    public void reset() {
        enabled = DEFAULT_ENABLED;
        minimumLevel = DEFAULT_MINIMUM_LEVEL;
        emojiHeadings = DEFAULT_EMOJI_HEADINGS;
        callback = null;
        setLogFile(null);
        journal.clear();
    }

    private boolean isOutput(LogLevel level) {
        return enabled && level.compareTo(minimumLevel) <= 0;
    }

    private void deliver(LogLevel level, String text, PrintStream err) {
        CallbackSlot slot = callback;
        if (slot == null) {
            return;
        }
        boolean[] busy = inCallback.get();
        if (busy[0]) {
            return;
        }
        busy[0] = true;
        try {
            slot.consumer().accept(level, text);
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError) {
                throw (VirtualMachineError) t;
            }
            if (slot.failureReported().compareAndSet(false, true)) {
                err.println("DittoLogger: the custom log callback threw " + t
                        + "; the failure is ignored and later failures of this callback are not reported");
            }
        } finally {
            busy[0] = false;
        }
    }

    private static LogLevel requireLevel(LogLevel level, String what) {
        if (level == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "cannot " + what + ": the level is null");
        }
        return level;
    }
}
