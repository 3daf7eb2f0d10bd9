package ditto.api.internal.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The registered log file: appends UTF-8 lines and flushes after each one, so a crash loses at
 * most the line being written. Thread-safe (one lock per file). After the first write failure
 * the failure is reported once on the console and later lines are dropped silently, so a full
 * disk cannot turn every log call into an error report. Closing is idempotent.
 */
final class LogFileSink {
    private final Path path;
    private final Writer writer;
    private boolean failed;
    private boolean closed;

    private LogFileSink(Path path, Writer writer) {
        this.path = path;
        this.writer = writer;
    }

    /**
     * Opens (creating if needed) a file for appending.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the parent directory does not
     *         exist, the path is a directory, or the file cannot be opened
     */
    static LogFileSink open(Path requested) {
        Path file = requested.toAbsolutePath();
        Path parent = file.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot log to " + requested + ": the directory " + parent + " does not exist");
        }
        if (Files.isDirectory(file)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "cannot log to " + requested + ": it is a directory");
        }
        try {
            Writer w = new BufferedWriter(new OutputStreamWriter(Files.newOutputStream(file, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE), StandardCharsets.UTF_8));
            return new LogFileSink(file, w);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot log to " + requested + ": the file cannot be opened (" + e + ")", e);
        }
    }

    /** Returns the absolute path of the file. */
    Path path() {
        return path;
    }

    /** Appends one line and flushes; reports the first failure on {@code console}. */
    synchronized void writeLine(String line, PrintStream console) {
        if (failed || closed) {
            return;
        }
        try {
            writer.write(line);
            writer.write(System.lineSeparator());
            writer.flush();
        } catch (IOException e) {
            failed = true;
            console.println("DittoLogger: writing to the log file " + path + " failed, later lines are dropped: " + e);
        }
    }

    /** Closes the file; later writes are ignored. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            writer.close();
        } catch (IOException ignored) {
            // nothing is pending after the per-line flush; a failing close loses nothing
        }
    }
}
