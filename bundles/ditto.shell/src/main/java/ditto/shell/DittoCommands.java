package ditto.shell;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoException;
import ditto.api.DittoFactory;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.QueryResultItem;
import ditto.api.StoreObserver;

/**
 * The shell's command core, shared by the Gogo commands ({@code ditto:open}, {@code ditto:query},
 * {@code ditto:observe}, {@code ditto:unobserve}, {@code ditto:status}, {@code ditto:close}) and
 * the module-path program {@link Main}.
 *
 * <p>It holds at most one open {@link Ditto} instance, opened with {@link #open} and released
 * with {@link #close}, and the live queries registered on it with {@link #observe}, numbered
 * from 1 in registration order. Every command answers a {@link Reply}; a failure is reported as
 * {@code error (code): message} and never escapes as an exception, so a bad query cannot end
 * the shell.
 *
 * <p>Threading: commands run one at a time under this object's lock. Observer deliveries run on
 * the engine's observer threads and never take that lock (a command that closes the database
 * must not wait for a callback that waits for the command): each delivery is formatted there and
 * handed, as one block of text, to the delivery sink given at construction.
 * <pre>
 *   command thread ── observe ──▶ engine registers the live query
 *   engine thread  ── result ───▶ format "-- observer N: ..." block ──▶ sink (prints it whole)
 * </pre>
 */
public final class DittoCommands {

    /** The line {@link #pluginsLine} starts with; scripts and tests look for it. */
    public static final String PLUGINS_PREFIX = "plug-ins: ";

    private final DittoFactory factory;
    private final Consumer<String> deliveries;
    private final SortedMap<Integer, StoreObserver> observers = new TreeMap<>();
    private Path defaultDirectory;
    private Ditto instance;
    private int nextObserverNumber = 1;
    /** When a command or a delivery last ran ({@link System#nanoTime()}); read by {@link #awaitObserversQuiet}. */
    private volatile long lastActivityNanos = System.nanoTime();

    /**
     * Creates the commands over an engine, with the engine's default persistence directory for
     * {@code open} without a directory.
     *
     * @param factory the engine's factory, never null
     * @throws NullPointerException if {@code factory} is null
     */
    public DittoCommands(DittoFactory factory) {
        this(factory, null);
    }

    /**
     * Creates the commands over an engine.
     *
     * @param factory the engine's factory, never null
     * @param defaultDirectory the persistence directory {@code open} uses when given none; null
     *        for {@link DittoConfig}'s default
     * @throws NullPointerException if {@code factory} is null
     */
    public DittoCommands(DittoFactory factory, Path defaultDirectory) {
        this(factory, defaultDirectory, DittoCommands::printToStandardOutput);
    }

    /**
     * Creates the commands over an engine with a sink for observer deliveries.
     *
     * @param factory the engine's factory, never null
     * @param defaultDirectory the persistence directory {@code open} uses when given none; null
     *        for {@link DittoConfig}'s default
     * @param deliveries receives each observer delivery as one block of lines without a final
     *        line break (see {@link #observe}); called on engine threads, one call per delivery;
     *        it should print the block in one piece; never null
     * @throws NullPointerException if {@code factory} or {@code deliveries} is null
     */
    public DittoCommands(DittoFactory factory, Path defaultDirectory, Consumer<String> deliveries) {
        this.factory = Objects.requireNonNull(factory, "factory");
        this.defaultDirectory = defaultDirectory;
        this.deliveries = Objects.requireNonNull(deliveries, "deliveries");
    }

    /**
     * Sets the persistence directory {@code open} uses when given none; takes effect on the
     * next {@code open}.
     *
     * @param directory the directory, or null for {@link DittoConfig}'s default
     */
    public synchronized void setDefaultDirectory(Path directory) {
        this.defaultDirectory = directory;
    }

    /**
     * Opens a Ditto instance, which later commands use.
     *
     * @param directory the persistence directory, relative to the working directory; null for
     *        the default directory
     * @param databaseId the database id (a UUID); null for {@link DittoConfig#defaultDatabaseId()}
     * @return {@code opened database <id> at <directory>}, or an error if an instance is already
     *         open or the engine refuses the configuration
     */
    public synchronized Reply open(String directory, String databaseId) {
        if (instance != null && !instance.isClosed()) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "open: database "
                    + instance.databaseId() + " is already open at "
                    + instance.absolutePersistenceDirectory() + "; run close first");
        }
        return guarded(() -> {
            DittoConfig config = DittoConfig.defaults();
            if (databaseId != null) {
                config = config.withDatabaseId(databaseId);
            }
            if (directory != null) {
                config = config.withPersistenceDirectory(Path.of(directory).toAbsolutePath());
            } else if (defaultDirectory != null) {
                config = config.withPersistenceDirectory(defaultDirectory.toAbsolutePath());
            }
            Ditto opened = factory.open(config);
            instance = opened;
            return Reply.ok("opened database " + opened.databaseId() + " at "
                    + opened.absolutePersistenceDirectory());
        });
    }

    /**
     * Runs one DQL statement on the open instance.
     *
     * @param dql the statement; null or blank is an error
     * @return one JSON line per result item ({@link QueryResultItem#jsonString()}) followed by a
     *         summary line {@code -- N items[, mutated [ids]][, commit C]}, or an error
     */
    public synchronized Reply query(String dql) {
        if (dql == null || dql.isBlank()) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                    "query: no DQL statement given; usage: query <dql>");
        }
        if (instance == null || instance.isClosed()) {
            return Reply.error(ErrorCode.CLOSED.wireName(),
                    "query: no database is open; run open [directory] [databaseId] first");
        }
        Ditto target = instance;
        return guarded(() -> {
            StringBuilder out = new StringBuilder();
            try (QueryResult result = target.store().execute(dql)) {
                for (QueryResultItem item : result.items()) {
                    try (item) {
                        out.append(item.jsonString()).append('\n');
                    }
                }
                out.append(summary(result.itemCount(), result.mutatedDocumentIds(), result.commitId()));
            } finally {
                lastActivityNanos = System.nanoTime();
            }
            return Reply.ok(out.toString());
        });
    }

    /**
     * Registers a live query on the open instance. Its first result and every later change of
     * the result go to the delivery sink, each as a header line
     * {@code -- observer N: M items[ (commit C)]} followed by one JSON line per item; a delivery
     * that cannot be printed becomes {@code -- observer N: error (code): message}. Deliveries
     * stop with {@link #unobserve} or {@link #close}.
     *
     * @param dql a SELECT statement; null or blank is an error
     * @return {@code observer N registered: <dql>}, or an error (the engine's code, for example
     *         {@code unsupported} for a statement that is not a SELECT)
     */
    public synchronized Reply observe(String dql) {
        if (dql == null || dql.isBlank()) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                    "observe: no DQL statement given; usage: observe <select statement>");
        }
        if (instance == null || instance.isClosed()) {
            return Reply.error(ErrorCode.CLOSED.wireName(),
                    "observe: no database is open; run open [directory] [databaseId] first");
        }
        Ditto target = instance;
        int number = nextObserverNumber;
        return guarded(() -> {
            StoreObserver observer = target.store().registerObserver(dql, null, result -> deliver(number, result));
            nextObserverNumber++;
            observers.put(number, observer);
            lastActivityNanos = System.nanoTime();
            return Reply.ok("observer " + number + " registered: " + dql);
        });
    }

    /**
     * Cancels one observer, or all of them; no delivery starts after this returns.
     *
     * @param which an observer number as {@link #observe} printed it, or {@code all}
     * @return {@code canceled observer N} or {@code canceled observers [..]}, or an error if
     *         {@code which} is neither {@code all} nor the number of an active observer
     */
    public synchronized Reply unobserve(String which) {
        pruneCanceledObservers();
        String usage = "usage: unobserve <observer number|all>";
        if (which == null || which.isBlank()) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "unobserve: no observer given; " + usage);
        }
        String trimmed = which.strip();
        if (trimmed.equalsIgnoreCase("all")) {
            List<Integer> numbers = new ArrayList<>(observers.keySet());
            return guarded(() -> {
                cancelObservers();
                return Reply.ok(numbers.isEmpty() ? "no observer is active" : "canceled observers " + numbers);
            });
        }
        int number;
        try {
            number = Integer.parseInt(trimmed);
        } catch (NumberFormatException e) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                    "unobserve: '" + trimmed + "' is not an observer number; " + usage);
        }
        StoreObserver observer = observers.remove(number);
        if (observer == null) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "unobserve: no active observer " + number
                    + (observers.isEmpty() ? "; none is active" : "; active: " + observers.keySet()));
        }
        return guarded(() -> {
            observer.cancel();
            return Reply.ok("canceled observer " + number);
        });
    }

    /**
     * Waits until the observers have delivered nothing, and no command has run, for
     * {@code quiet}, so that the deliveries caused by the last commands are printed before a
     * program ends. Returns at once when no observer is active. Must not be called from an
     * observer delivery.
     *
     * @param quiet how long nothing must happen, not negative
     * @param limit the longest this waits in total, not negative
     * @throws InterruptedException if the thread is interrupted while waiting
     */
    public void awaitObserversQuiet(Duration quiet, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (hasActiveObservers()) {
            long now = System.nanoTime();
            long quietUntil = lastActivityNanos + quiet.toNanos();
            if (now - quietUntil >= 0 || now - deadline >= 0) {
                return;
            }
            long sleep = Math.min(quietUntil - now, deadline - now);
            Thread.sleep(Math.max(1, sleep / 1_000_000));
        }
    }

    /**
     * Describes the engine and the open instance.
     *
     * @return the Ditto version, the open instance (or none), one line
     *         {@code observer N: <dql>} per active observer and the
     *         {@linkplain #pluginsLine loaded plug-ins}
     */
    public synchronized Reply status() {
        pruneCanceledObservers();
        return guarded(() -> {
            String open = instance == null || instance.isClosed()
                    ? "database: none open (run open [directory] [databaseId])"
                    : "database: " + instance.databaseId() + " open at "
                            + instance.absolutePersistenceDirectory();
            StringBuilder active = new StringBuilder();
            observers.forEach((number, observer) ->
                    active.append("observer ").append(number).append(": ").append(observer.queryString()).append('\n'));
            return Reply.ok("ditto " + Ditto.version() + "\n" + open + "\n" + active
                    + pluginsLine(factory.plugins()));
        });
    }

    /**
     * Cancels the observers and closes the open instance, if any.
     *
     * @return {@code closed database <id>}, or {@code no database is open}
     */
    public synchronized Reply close() {
        if (instance == null) {
            observers.clear();
            return Reply.ok("no database is open");
        }
        Ditto closing = instance;
        instance = null;
        return guarded(() -> {
            try {
                cancelObservers();
            } finally {
                closing.close();
            }
            return Reply.ok("closed database " + closing.databaseId());
        });
    }

    /**
     * Formats the engine's loaded plug-ins on one line, kinds in alphabetical order:
     * {@code plug-ins: identity=[..] storage=[memory, mvstore] transport=[ble, lan, ws]}.
     *
     * @param plugins the plug-in ids by kind, as {@link DittoFactory#plugins()} answers; never null
     * @return the line, without a line break
     */
    public static String pluginsLine(Map<String, ? extends Collection<String>> plugins) {
        StringBuilder line = new StringBuilder(PLUGINS_PREFIX);
        SortedMap<String, ? extends Collection<String>> sorted = new TreeMap<>(plugins);
        String separator = "";
        for (Map.Entry<String, ? extends Collection<String>> kind : sorted.entrySet()) {
            line.append(separator).append(kind.getKey()).append('=')
                    .append(kind.getValue().stream().sorted().toList());
            separator = " ";
        }
        return line.toString();
    }

    /** Returns the active observers by number (a snapshot). */
    synchronized SortedMap<Integer, StoreObserver> observers() {
        pruneCanceledObservers();
        return Collections.unmodifiableSortedMap(new TreeMap<>(observers));
    }

    private synchronized boolean hasActiveObservers() {
        pruneCanceledObservers();
        return !observers.isEmpty();
    }

    /** Drops observers the engine canceled on its own (the instance closed because its storage went away). */
    private void pruneCanceledObservers() {
        observers.values().removeIf(StoreObserver::isCanceled);
    }

    private void cancelObservers() {
        try {
            for (StoreObserver observer : observers.values()) {
                observer.cancel();
            }
        } finally {
            observers.clear();
        }
    }

    /** Formats one observer delivery and hands it to the sink; runs on an engine thread. */
    private void deliver(int number, QueryResult result) {
        StringBuilder block = new StringBuilder("-- observer ").append(number).append(": ");
        try (result) {
            List<String> lines = new ArrayList<>();
            for (QueryResultItem item : result.items()) {
                try (item) {
                    lines.add(item.jsonString());
                }
            }
            block.append(lines.size()).append(lines.size() == 1 ? " item" : " items");
            result.commitId().ifPresent(id -> block.append(" (commit ").append(id).append(')'));
            lines.forEach(line -> block.append('\n').append(line));
        } catch (DittoException e) {
            block.append(Reply.error(e.code().wireName(), e.getMessage()).text());
        } catch (RuntimeException e) {
            block.append(Reply.error(ErrorCode.INTERNAL.wireName(), e.toString()).text());
        }
        lastActivityNanos = System.nanoTime();
        deliveries.accept(block.toString());
    }

    /** The default delivery sink: standard output as it is when the delivery runs, one block per call. */
    private static void printToStandardOutput(String block) {
        PrintStream out = System.out;
        out.println(block);
        out.flush();
    }

    private static String summary(int itemCount, List<Object> mutated, OptionalLong commitId) {
        StringBuilder line = new StringBuilder("-- ").append(itemCount)
                .append(itemCount == 1 ? " item" : " items");
        if (!mutated.isEmpty()) {
            line.append(", mutated ").append(mutated);
        }
        commitId.ifPresent(id -> line.append(", commit ").append(id));
        return line.toString();
    }

    /** Runs a command body, turning every runtime failure into an error reply. */
    private static Reply guarded(CommandBody body) {
        try {
            return body.run();
        } catch (DittoException e) {
            return Reply.error(e.code().wireName(), e.getMessage());
        } catch (RuntimeException e) {
            // A shell must survive engine bugs: report, never rethrow.
            return Reply.error(ErrorCode.INTERNAL.wireName(), e.getClass().getName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    @FunctionalInterface
    private interface CommandBody {
        Reply run();
    }
}
