package ditto.shell;

import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoException;
import ditto.api.DittoFactory;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.QueryResultItem;

/**
 * The shell's command core, shared by the Gogo commands ({@code ditto:open}, {@code ditto:query},
 * {@code ditto:status}, {@code ditto:close}) and the module-path program {@link Main}.
 *
 * <p>It holds at most one open {@link Ditto} instance, opened with {@link #open} and released
 * with {@link #close}. Every command answers a {@link Reply}; a failure is reported as
 * {@code error (code): message} and never escapes as an exception, so a bad query cannot end
 * the shell. Thread-safe: commands run one at a time under this object's lock.
 */
public final class DittoCommands {

    /** The line {@link #pluginsLine} starts with; scripts and tests look for it. */
    public static final String PLUGINS_PREFIX = "plug-ins: ";

    private final DittoFactory factory;
    private Path defaultDirectory;
    private Ditto instance;

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
        this.factory = Objects.requireNonNull(factory, "factory");
        this.defaultDirectory = defaultDirectory;
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
            }
            return Reply.ok(out.toString());
        });
    }

    /**
     * Describes the engine and the open instance.
     *
     * @return three lines: the Ditto version, the open instance (or none) and the
     *         {@linkplain #pluginsLine loaded plug-ins}
     */
    public synchronized Reply status() {
        return guarded(() -> {
            String open = instance == null || instance.isClosed()
                    ? "database: none open (run open [directory] [databaseId])"
                    : "database: " + instance.databaseId() + " open at "
                            + instance.absolutePersistenceDirectory();
            return Reply.ok("ditto " + Ditto.version() + "\n" + open + "\n"
                    + pluginsLine(factory.plugins()));
        });
    }

    /**
     * Closes the open instance, if any.
     *
     * @return {@code closed database <id>}, or {@code no database is open}
     */
    public synchronized Reply close() {
        if (instance == null) {
            return Reply.ok("no database is open");
        }
        Ditto closing = instance;
        instance = null;
        return guarded(() -> {
            closing.close();
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
