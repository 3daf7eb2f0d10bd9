package ditto.api;

import java.nio.file.Path;
import java.util.function.BiConsumer;

import ditto.api.internal.log.LogFormat;
import ditto.api.internal.log.LogHub;

/**
 * The process-wide Ditto logger: settings, outputs and the diagnostic log export.
 *
 * <p>Every Ditto instance in the process, the engine (whose tinylog output, and the slf4j
 * output of the libraries it uses, is forwarded here) and every plug-in log through this one
 * logger. A message goes to:
 * <ul>
 *   <li>standard error, one line per message:
 *       {@code 2026-11-26T10:15:30.123Z INFO source: message} (UTC; {@code source:} only when the
 *       producing logger or class is known; the level heading carries an emoji when
 *       {@linkplain #setEmojiLogLevelHeadingsEnabled emoji headings} are on);</li>
 *   <li>the {@linkplain #setLogFile log file}, if one is registered, with the same lines;</li>
 *   <li>the {@linkplain #setCustomLogCallback custom callback}, if one is registered, with the
 *       level and the bare message;</li>
 * </ul>
 * each only when the logger is {@linkplain #setEnabled enabled} and the message's level is the
 * {@linkplain #setMinimumLogLevel minimum level} or more severe. Independently of those two
 * settings, every message at {@link LogLevel#DEBUG} or more severe is kept in a bounded
 * in-memory journal (the newest 15 MiB of JSON lines, at most 3 days old) that
 * {@link #exportLog(Path)} writes out.
 *
 * <p>Defaults: enabled, minimum level {@link LogLevel#INFO}, emoji headings off, no log file, no
 * callback. Inside the distribution the framework or system properties {@code ditto.log.enabled},
 * {@code ditto.log.level}, {@code ditto.log.emoji} and {@code ditto.log.file} set these when the
 * engine starts.
 *
 * <p>Threading: every method may be called from any thread at any time. Settings take effect for
 * messages logged after the setter returns. Logging never blocks on other threads for longer than
 * a line write, and a message that no output and not the journal would keep costs two volatile
 * reads (the {@code ...f} variants format only when the message is kept).
 */
public final class DittoLogger {
    private static final LogHub HUB = LogHub.createDefault();

    private DittoLogger() {
    }

    /**
     * Turns console, log-file and callback output on or off. Default: on. The export journal
     * records regardless.
     *
     * @param enabled true to output messages, false to silence every output
     */
    public static void setEnabled(boolean enabled) {
        HUB.setEnabled(enabled);
    }

    /** Returns whether console, log-file and callback output is on. */
    public static boolean isEnabled() {
        return HUB.isEnabled();
    }

    /**
     * Sets the least severe level that is output. For example with {@link LogLevel#WARNING}
     * only warnings and errors reach the console, the log file and the callback. Default:
     * {@link LogLevel#INFO}. The export journal is not affected: it keeps
     * {@link LogLevel#DEBUG} and more severe.
     *
     * @param level the threshold, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code level} is null
     */
    public static void setMinimumLogLevel(LogLevel level) {
        HUB.setMinimumLevel(level);
    }

    /** Returns the least severe level that is output, never null. */
    public static LogLevel minimumLogLevel() {
        return HUB.minimumLevel();
    }

    /**
     * Chooses between emoji level headings ({@code "❌ ERROR"}, {@code "⚠️ WARNING"},
     * {@code "ℹ️ INFO"}, {@code "🐛 DEBUG"}, {@code "🔍 VERBOSE"}) and plain ones ({@code "ERROR"}
     * …) in console and log-file lines. Default: plain. The callback and the export are not
     * affected.
     *
     * @param enabled true for emoji headings
     */
    public static void setEmojiLogLevelHeadingsEnabled(boolean enabled) {
        HUB.setEmojiHeadings(enabled);
    }

    /** Returns whether console and log-file lines use emoji level headings. */
    public static boolean isEmojiLogLevelHeadingsEnabled() {
        return HUB.isEmojiHeadings();
    }

    /**
     * Registers a file that receives every output line, in addition to the console, or
     * unregisters the current one.
     *
     * <p>The file is created if needed and appended to, in UTF-8, flushed after every line. A
     * previously registered file is closed. If writing later fails, the failure is reported once
     * on standard error and further lines for that file are dropped.
     *
     * @param path the file, or null to unregister the current file; a relative path is resolved
     *        against the working directory now
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the directory that would hold
     *         the file does not exist, the path is a directory or the file cannot be opened; the
     *         previously registered file then stays registered
     */
    public static void setLogFile(Path path) {
        HUB.setLogFile(path);
    }

    /**
     * Registers a callback that receives every output message, replacing any previous one, or
     * removes it.
     *
     * <p>The callback receives the level and the bare message (no time, heading or source) for
     * each message that passes the enabled flag and the minimum level, on the thread that logged
     * it, possibly on several threads at once. It should return quickly. Messages the callback
     * logs itself reach the other outputs but not the callback. If the callback throws, the
     * exception is swallowed: the first failure of each registered callback is reported on
     * standard error and never reaches the code that logged.
     *
     * @param callback receives {@code (level, message)}; null removes the current callback
     */
    public static void setCustomLogCallback(BiConsumer<LogLevel, String> callback) {
        HUB.setCallback(callback);
    }

    /**
     * Writes the collected diagnostic log to a new gzip-compressed JSON Lines file.
     *
     * <p>Every message logged in this process at {@link LogLevel#DEBUG} or more severe is
     * collected, whatever the enabled flag and the minimum level, up to 15 MiB of uncompressed
     * lines and 3 days of age (older messages are dropped first). Each line is one JSON object
     * with the fields {@code time} (ISO-8601 UTC, millisecond precision), {@code level}
     * ({@code "ERROR"}, {@code "WARNING"}, {@code "INFO"} or {@code "DEBUG"}), {@code source}
     * (the producing logger or class, only when known) and {@code message}; lines are ordered
     * oldest first. The collection lives in memory and is not emptied by exporting. The
     * {@code .jsonl.gz} extension is recommended but not required. The call blocks while the
     * file is written.
     *
     * @param path the file to create; it must not exist, and its directory must exist
     * @return the number of bytes written to disk (the size of the compressed file)
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code path} is null, the
     *         file already exists, its directory does not exist or the file cannot be created;
     *         {@link ErrorCode#INTERNAL} if writing fails midway (the partial file is removed)
     */
    public static long exportLog(Path path) {
        return HUB.exportLog(path);
    }

    /**
     * Logs a message at {@code level} with no known source. Used by bridges from other
     * logging frameworks and by code that chooses the level at run time.
     *
     * @param level the message's level, never null
     * @param message the text; null is logged as {@code "null"}
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code level} is null
     */
    public static void log(LogLevel level, String message) {
        HUB.log(level, null, message);
    }

    /**
     * Logs a message at {@code level} on behalf of a named source, for bridges from other
     * logging frameworks: the source (a logger or class name) appears in console and log-file
     * lines and in the {@code source} field of the export, not in the callback's message.
     *
     * @param level the message's level, never null
     * @param source the producing logger or class, or null if unknown
     * @param message the text; null is logged as {@code "null"}
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code level} is null
     */
    public static void log(LogLevel level, String source, String message) {
        HUB.log(level, source, message);
    }

    /** Logs a message at {@link LogLevel#ERROR}; null is logged as {@code "null"}. */
    public static void error(String message) {
        HUB.log(LogLevel.ERROR, null, message);
    }

    /** Logs a message at {@link LogLevel#WARNING}; null is logged as {@code "null"}. */
    public static void warning(String message) {
        HUB.log(LogLevel.WARNING, null, message);
    }

    /** Logs a message at {@link LogLevel#INFO}; null is logged as {@code "null"}. */
    public static void info(String message) {
        HUB.log(LogLevel.INFO, null, message);
    }

    /** Logs a message at {@link LogLevel#DEBUG}; null is logged as {@code "null"}. */
    public static void debug(String message) {
        HUB.log(LogLevel.DEBUG, null, message);
    }

    /** Logs a message at {@link LogLevel#VERBOSE}; null is logged as {@code "null"}. */
    public static void verbose(String message) {
        HUB.log(LogLevel.VERBOSE, null, message);
    }

    /**
     * Logs a formatted message at {@link LogLevel#ERROR}. The message is built with
     * {@link String#format(java.util.Locale, String, Object...)} in {@link java.util.Locale#ROOT},
     * only if it will be kept; a format that does not fit its arguments never throws but logs the
     * format, the arguments and the reason.
     *
     * @param format a {@link java.util.Formatter} format string
     * @param args the arguments the format refers to
     */
    public static void errorf(String format, Object... args) {
        logf(LogLevel.ERROR, format, args);
    }

    /** Logs a formatted message at {@link LogLevel#WARNING}, as {@link #errorf} describes. */
    public static void warningf(String format, Object... args) {
        logf(LogLevel.WARNING, format, args);
    }

    /** Logs a formatted message at {@link LogLevel#INFO}, as {@link #errorf} describes. */
    public static void infof(String format, Object... args) {
        logf(LogLevel.INFO, format, args);
    }

    /** Logs a formatted message at {@link LogLevel#DEBUG}, as {@link #errorf} describes. */
    public static void debugf(String format, Object... args) {
        logf(LogLevel.DEBUG, format, args);
    }

    /** Logs a formatted message at {@link LogLevel#VERBOSE}, as {@link #errorf} describes. */
    public static void verbosef(String format, Object... args) {
        logf(LogLevel.VERBOSE, format, args);
    }

    /** Restores every default, unregisters file and callback and empties the journal; for tests. */
    static void reset() {
        HUB.reset();
    }

    private static void logf(LogLevel level, String format, Object... args) {
        if (HUB.isRecorded(level)) {
            HUB.log(level, null, LogFormat.format(format, args));
        }
    }
}
