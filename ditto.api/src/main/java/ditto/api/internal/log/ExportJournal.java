package ditto.api.internal.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.LogLevel;

/**
 * The always-on, bounded in-memory journal that {@code DittoLogger.exportLog} writes out.
 *
 * <p>It records every message at {@link LogLevel#DEBUG} or more severe, whatever the logger's
 * enabled flag and minimum level, as a ready-made JSON line. Invariants, held under the
 * journal's lock: entries are in append order, which is also time order because each entry's
 * time is read from the clock under the lock; {@code totalBytes} is the sum of the entries'
 * serialized sizes (UTF-8 line plus its newline) and never exceeds {@code capBytes} after an
 * append; no entry is older than {@code maxAge} after an append or a snapshot. Oldest entries
 * are dropped first. An entry that alone exceeds the cap is not kept.
 */
public final class ExportJournal {
    /** The size cap of the process-wide journal: 15 MiB of uncompressed JSON lines. */
    public static final long DEFAULT_CAP_BYTES = 15L * 1024 * 1024;
    /** The age cap of the process-wide journal. */
    public static final Duration DEFAULT_MAX_AGE = Duration.ofDays(3);

    private final Clock clock;
    private final long capBytes;
    private final Duration maxAge;
    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long totalBytes;

    /** One journal line with the time it was recorded and its size in the export. */
    private record Entry(Instant time, String line, int bytes) {
    }

    /**
     * Creates an empty journal.
     *
     * @param clock source of entry times and of "now" for the age cap
     * @param capBytes the most bytes of serialized lines (each with its newline) kept, positive
     * @param maxAge the oldest an entry may be before it is dropped, positive
     */
    public ExportJournal(Clock clock, long capBytes, Duration maxAge) {
        if (capBytes <= 0 || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("journal caps must be positive: " + capBytes + " bytes, " + maxAge);
        }
        this.clock = clock;
        this.capBytes = capBytes;
        this.maxAge = maxAge;
    }

    /** Tells whether messages at {@code level} are journaled: DEBUG and more severe. */
    public static boolean accepts(LogLevel level) {
        return level.compareTo(LogLevel.DEBUG) <= 0;
    }

    /**
     * Records a message, then drops the oldest entries past the age and size caps.
     *
     * @return the time recorded for the message, read from the clock under the journal's lock
     */
    public Instant append(LogLevel level, String source, String message) {
        // serialize outside the lock; only the time, which fixes the order, is taken under it
        String tail = LogFormat.jsonTail(level, source, message);
        int tailBytes = LogFormat.utf8Length(tail);
        synchronized (entries) {
            Instant now = clock.instant();
            String head = LogFormat.jsonHead(now);
            String line = head + tail;
            int bytes = head.length() + tailBytes + 1;
            entries.addLast(new Entry(now, line, bytes));
            totalBytes += bytes;
            prune(now);
            return now;
        }
    }

    /** Returns the kept lines, oldest first, after dropping those past the age cap. */
    public List<String> snapshot() {
        synchronized (entries) {
            prune(clock.instant());
            List<String> lines = new ArrayList<>(entries.size());
            for (Entry e : entries) {
                lines.add(e.line());
            }
            return lines;
        }
    }

    /** Returns the serialized size of the kept lines, each with its newline. */
    public long sizeBytes() {
        synchronized (entries) {
            return totalBytes;
        }
    }

    /** Drops every entry. */
    public void clear() {
        synchronized (entries) {
            entries.clear();
            totalBytes = 0;
        }
    }

    /**
     * Writes the kept lines, oldest first, as a gzip-compressed JSON Lines file.
     *
     * @param target the file to create; it must not exist and its directory must
     * @return the size of the written file in bytes
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if the target is null, exists,
     *         has no existing parent directory or cannot be created; {@link ErrorCode#INTERNAL}
     *         if writing fails midway (the partial file is deleted)
     */
    public long export(Path target) {
        if (target == null) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "cannot export the log: the target path is null");
        }
        Path file = target.toAbsolutePath();
        Path parent = file.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot export the log to " + target + ": the directory " + parent + " does not exist");
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot export the log to " + target + ": the file already exists");
        }
        List<String> lines = snapshot();
        OutputStream out;
        try {
            out = Files.newOutputStream(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot export the log to " + target + ": the file already exists", e);
        } catch (NoSuchFileException e) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot export the log to " + target + ": the directory " + parent + " does not exist", e);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "cannot export the log to " + target + ": the file cannot be created (" + e + ")", e);
        }
        try (Writer w = new BufferedWriter(new OutputStreamWriter(new GZIPOutputStream(out, 1 << 16),
                StandardCharsets.UTF_8), 1 << 16)) {
            for (String line : lines) {
                w.write(line);
                w.write('\n');
            }
        } catch (IOException e) {
            deleteQuietly(file);
            throw new DittoException(ErrorCode.INTERNAL, "cannot export the log to " + target + ": writing failed (" + e + ")", e);
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INTERNAL,
                    "exported the log to " + target + " but cannot read its size (" + e + ")", e);
        }
    }

    private void prune(Instant now) {
        Instant oldestKept = now.minus(maxAge);
        while (!entries.isEmpty()
                && (totalBytes > capBytes || entries.peekFirst().time().isBefore(oldestKept))) {
            totalBytes -= entries.removeFirst().bytes();
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the export already failed; the original error is the one worth reporting
        }
    }
}
