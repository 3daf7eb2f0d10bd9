package ditto.engine.log;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Map;

import org.tinylog.core.LogEntry;
import org.tinylog.core.LogEntryValue;
import org.tinylog.writers.Writer;

import ditto.api.DittoLogger;
import ditto.api.LogLevel;

/**
 * The one tinylog writer of the process: forwards every tinylog entry, including what slf4j
 * loggers (jmdns, Java-WebSocket) send through slf4j-tinylog, into {@link DittoLogger}, which
 * applies the user's settings and feeds the export journal.
 *
 * <pre>
 *  engine code ── org.tinylog.Logger ──┐
 *  jmdns, Java-WebSocket ── slf4j ── slf4j-tinylog ──┴─▶ tinylog provider ─▶ this writer ─▶ DittoLogger.log
 * </pre>
 *
 * <p>Levels map TRACE→VERBOSE, DEBUG→DEBUG, INFO→INFO, WARN→WARNING, ERROR→ERROR. The source is the
 * entry's tag if it has one, else the class that logged. A throwable is appended to the message
 * as its stack trace. tinylog creates the instance reflectively from its configuration
 * ({@link TinylogSetup}) and calls {@link #write} on the logging thread (no writing thread is
 * configured), so entries reach DittoLogger synchronously and in order. Stateless apart from
 * DittoLogger itself, hence thread-safe.
 */
public final class TinylogBridgeWriter implements Writer {

    /**
     * Creates the writer; tinylog passes the {@code writer.*} properties, none of which are used.
     *
     * @param properties the writer's tinylog properties, ignored
     */
    public TinylogBridgeWriter(Map<String, String> properties) {
        // nothing to configure: DittoLogger holds every output setting
    }

    @Override
    public Collection<LogEntryValue> getRequiredLogEntryValues() {
        return EnumSet.of(LogEntryValue.LEVEL, LogEntryValue.TAG, LogEntryValue.CLASS, LogEntryValue.MESSAGE,
                LogEntryValue.EXCEPTION);
    }

    @Override
    public void write(LogEntry entry) {
        LogLevel level = level(entry.getLevel());
        if (level == null) {
            return;
        }
        String source = entry.getTag() != null ? entry.getTag() : entry.getClassName();
        DittoLogger.log(level, source, text(entry.getMessage(), entry.getException()));
    }

    @Override
    public void flush() {
        // every entry is handed over synchronously; nothing is buffered here
    }

    @Override
    public void close() {
        // nothing is held open; DittoLogger owns the outputs
    }

    /** Maps a tinylog level to a Ditto level, or null for OFF. */
    static LogLevel level(org.tinylog.Level level) {
        switch (level) {
            case TRACE:
                return LogLevel.VERBOSE;
            case DEBUG:
                return LogLevel.DEBUG;
            case INFO:
                return LogLevel.INFO;
            case WARN:
                return LogLevel.WARNING;
            case ERROR:
                return LogLevel.ERROR;
            default:
                return null;
        }
    }

    private static String text(String message, Throwable exception) {
        if (exception == null) {
            return message == null ? "" : message;
        }
        StringWriter trace = new StringWriter();
        try (PrintWriter w = new PrintWriter(trace)) {
            if (message != null) {
                w.println(message);
            }
            exception.printStackTrace(w);
        }
        String s = trace.toString();
        return s.endsWith(System.lineSeparator()) ? s.substring(0, s.length() - System.lineSeparator().length()) : s;
    }
}
