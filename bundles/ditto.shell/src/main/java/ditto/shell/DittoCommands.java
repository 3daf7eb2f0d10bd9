package ditto.shell;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Consumer;

import ditto.api.AuthenticationExpirationHandler;
import ditto.api.AuthenticationProvider;
import ditto.api.AuthenticationStatus;
import ditto.api.Authenticator;
import ditto.api.Ditto;
import ditto.api.Connection;
import ditto.api.DittoConfig;
import ditto.api.DittoConfigConnect;
import ditto.api.DittoException;
import ditto.api.DittoFactory;
import ditto.api.ErrorCode;
import ditto.api.Peer;
import ditto.api.PresenceGraph;
import ditto.api.QueryResult;
import ditto.api.QueryResultItem;
import ditto.api.StoreObserver;
import ditto.api.SyncSubscription;
import ditto.api.TransportConfig;
import ditto.api.TransportDiagnostics;
import ditto.api.TransportSnapshot;

/**
 * The shell's command core, shared by the Gogo commands ({@code ditto:open}, {@code ditto:query},
 * {@code ditto:observe}, {@code ditto:unobserve}, {@code ditto:subscribe}, {@code ditto:unsubscribe},
 * {@code ditto:sync}, {@code ditto:transport}, {@code ditto:peers}, {@code ditto:diag},
 * {@code ditto:license}, {@code ditto:login}, {@code ditto:logout}, {@code ditto:auth},
 * {@code ditto:status}, {@code ditto:close}) and the module-path program {@link Main}.
 *
 * <p>Clients of a server peer: {@link #open(String, String, String, String) open} with a server
 * URL opens a client ({@link DittoConfigConnect.Server}) and sets an expiration handler on it
 * that never logs in by itself: each time the engine asks for a login it hands the line
 * {@code auth: the server asks for a login (...); run: login <token> [provider]} to the delivery
 * sink, like an observer delivery. {@link #login}, {@link #logout} and {@link #auth} then drive
 * the instance's {@link Authenticator}.
 *
 * <p>Sync subscriptions registered with {@link #subscribe} are numbered from 1 per opened
 * database, like observers; they end with {@link #unsubscribe} or {@link #close}.
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
    private final SortedMap<Integer, SyncSubscription> subscriptions = new TreeMap<>();
    private int nextSubscriptionNumber = 1;
    private Path defaultDirectory;
    private Ditto instance;
    /** The server URL the open instance is a client of, as given to {@code open}; null for small peers only. */
    private String serverUrl;
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
        return open(directory, databaseId, null);
    }

    /**
     * Opens a Ditto instance, optionally with a small-peers-only shared key: only peers opened
     * with the same key can sync with it (the key authenticates every link).
     *
     * @param directory the persistence directory, relative to the working directory; null for
     *        the default directory
     * @param databaseId the database id (a UUID); null for {@link DittoConfig#defaultDatabaseId()}
     * @param sharedKeyHex the shared key as hexadecimal digits (an even count, at least one
     *        byte); null for none
     * @return {@code opened database <id> at <directory>}, or an error if an instance is already
     *         open, the key is not hexadecimal, or the engine refuses the configuration
     */
    public synchronized Reply open(String directory, String databaseId, String sharedKeyHex) {
        return open(directory, databaseId, sharedKeyHex, null);
    }

    /**
     * Opens a Ditto instance: with a small-peers-only shared key, as a client of a server peer,
     * or (both null) as a small peer without a key.
     *
     * <p>A client ({@code serverAddress} given) gets an expiration handler at once, so that
     * {@code sync start} is allowed: whenever the engine asks for a login (sync started without
     * valid credentials, or they are about to expire) the handler hands
     * {@code auth: the server asks for a login (no valid credentials|credentials expire in N s);
     * run: login <token> [provider]} (one line)
     * to the delivery sink. It never logs in by itself; {@link #login} does.
     *
     * @param directory the persistence directory, relative to the working directory; null for
     *        the default directory
     * @param databaseId the database id (a UUID); null for {@link DittoConfig#defaultDatabaseId()}
     * @param sharedKeyHex the shared key as hexadecimal digits (an even count, at least one
     *        byte); null for none
     * @param serverAddress the server peer's URL ({@code http}, {@code https}, {@code ws} or
     *        {@code wss}, with a host); null for none
     * @return {@code opened database <id> at <directory>} (with {@code (client of server <url>; ...)}
     *         for a client), or an error if an instance is already open, both a key and a server
     *         are given, the key is not hexadecimal, the URL is malformed or the engine refuses
     *         the configuration
     */
    public synchronized Reply open(String directory, String databaseId, String sharedKeyHex, String serverAddress) {
        if (sharedKeyHex != null && serverAddress != null) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "open: --shared-key and --server exclude each"
                    + " other (a client of a server trusts the server's authority, not a shared key); give one");
        }
        byte[] sharedKey = null;
        if (sharedKeyHex != null) {
            try {
                sharedKey = HexFormat.of().parseHex(sharedKeyHex.strip());
            } catch (IllegalArgumentException e) {
                return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                        "open: --shared-key must be an even number of hexadecimal digits: " + e.getMessage());
            }
            if (sharedKey.length == 0) {
                return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "open: --shared-key is empty");
            }
        }
        if (serverAddress != null && serverAddress.isBlank()) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "open: --server is empty; usage: "
                    + OPEN_USAGE);
        }
        byte[] key = sharedKey;
        String server = serverAddress == null ? null : serverAddress.strip();
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
            if (key != null) {
                config = config.withConnect(DittoConfigConnect.smallPeersOnly(key));
            }
            if (server != null) {
                config = config.withConnect(DittoConfigConnect.server(server));
            }
            if (directory != null) {
                config = config.withPersistenceDirectory(Path.of(directory).toAbsolutePath());
            } else if (defaultDirectory != null) {
                config = config.withPersistenceDirectory(defaultDirectory.toAbsolutePath());
            }
            Ditto opened = factory.open(config);
            if (server != null) {
                try {
                    Authenticator auth = opened.auth().orElseThrow(() -> new DittoException(ErrorCode.INTERNAL,
                            "open: the engine opened a client of " + server + " without an authenticator"));
                    auth.setExpirationHandler(loginRequest());
                } catch (RuntimeException e) {
                    opened.close();
                    throw e;
                }
            }
            instance = opened;
            serverUrl = server;
            nextSubscriptionNumber = 1;
            String kind = key != null ? " (small peers with a shared key)"
                    : server != null ? " (client of server " + server + "; " + loginHint(opened) + ")" : "";
            return Reply.ok("opened database " + opened.databaseId() + " at "
                    + opened.absolutePersistenceDirectory() + kind);
        });
    }

    /**
     * Opens a Ditto instance from the words after {@code open}:
     * {@code [directory] [databaseId] [--shared-key HEX | --server URL]}, the option anywhere.
     *
     * @param args the words after {@code open}; never null
     * @return as {@link #open(String, String, String, String)}, or an error naming the malformed
     *         word
     */
    public Reply open(List<String> args) {
        List<String> positional = new ArrayList<>();
        String sharedKey = null;
        String server = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--shared-key")) {
                if (i + 1 >= args.size() || sharedKey != null) {
                    return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                            "open: --shared-key needs one hexadecimal key; usage: " + OPEN_USAGE);
                }
                sharedKey = args.get(++i);
            } else if (arg.equals("--server")) {
                if (i + 1 >= args.size() || server != null) {
                    return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                            "open: --server needs one URL (http://host:port); usage: " + OPEN_USAGE);
                }
                server = args.get(++i);
            } else if (arg.startsWith("--")) {
                return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                        "open: unknown option '" + arg + "'; usage: " + OPEN_USAGE);
            } else {
                positional.add(arg);
            }
        }
        if (positional.size() > 2) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                    "open takes at most a directory and a database id; usage: " + OPEN_USAGE);
        }
        return open(positional.isEmpty() ? null : positional.get(0),
                positional.size() < 2 ? null : positional.get(1), sharedKey, server);
    }

    /** The syntax of {@code open}, for its errors. */
    static final String OPEN_USAGE = "open [directory] [databaseId] [--shared-key HEX | --server URL]";

    /** The syntax of {@code login}, for its errors. */
    static final String LOGIN_USAGE = "login <token> [provider] | login --user <name> <password> [provider]";

    /**
     * The expiration handler of a client opened by this shell: it tells the user to log in,
     * through the delivery sink, and does nothing else.
     */
    private AuthenticationExpirationHandler loginRequest() {
        return (ditto, left) -> {
            lastActivityNanos = System.nanoTime();
            deliveries.accept(loginRequestLine(left));
        };
    }

    /**
     * The line the shell prints when the server asks for a login.
     *
     * @param left how long the current credentials stay valid; zero when there are none
     * @return {@code auth: the server asks for a login (...); run: login <token> [provider]}
     */
    static String loginRequestLine(Duration left) {
        String state;
        if (left.isZero() || left.isNegative()) {
            state = "no valid credentials";
        } else {
            long seconds = (left.toMillis() + 999) / 1000;
            state = "credentials expire in " + seconds + " s";
        }
        return "auth: the server asks for a login (" + state + "); run: login <token> [provider]";
    }

    private static String loginHint(Ditto client) {
        AuthenticationStatus status = client.auth().map(Authenticator::status)
                .orElse(AuthenticationStatus.UNAUTHENTICATED);
        return status.isAuthenticated() ? "logged in as " + status.userId() + " from an earlier login"
                : "not logged in; run login <token> [provider]";
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
     * Starts, stops or describes replication of the open instance. A client of a server that is
     * not logged in may start sync: its expiration handler then prints the request to log in,
     * and data flows after {@link #login}.
     *
     * @param action {@code start}, {@code stop} or {@code status}
     * @return {@code sync started (<transport line>)} ({@code sync started (server <url>;
     *         <transport line>)} for a client), {@code sync stopped}, or for {@code status}: {@code sync:
     *         active|stopped}, for a client of a server the line
     *         {@code server: <url> (logged in as <user id>|not logged in)}, one line
     *         {@code subscription N: <dql>} per active subscription and the
     *         {@linkplain #transportSummary transport line}; or an error (for example
     *         {@code activation} when a license is required and none is valid)
     */
    public synchronized Reply sync(String action) {
        String usage = "usage: sync start|stop|status";
        if (action == null || action.isBlank()) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "sync: no action given; " + usage);
        }
        Ditto target = openInstance();
        if (target == null) {
            return notOpen("sync");
        }
        String verb = action.strip().toLowerCase(java.util.Locale.ROOT);
        return guarded(() -> switch (verb) {
            case "start" -> {
                target.sync().start();
                yield Reply.ok("sync started (" + (serverUrl == null ? "" : "server " + serverUrl + "; ")
                        + transportSummary(target.transportConfig()) + ")");
            }
            case "stop" -> {
                target.sync().stop();
                yield Reply.ok("sync stopped");
            }
            case "status" -> {
                pruneCancelledSubscriptions();
                StringBuilder out = new StringBuilder("sync: ")
                        .append(target.sync().isActive() ? "active" : "stopped").append('\n');
                if (serverUrl != null) {
                    out.append(serverLine(serverUrl, target)).append('\n');
                }
                subscriptions.forEach((number, subscription) -> out.append("subscription ").append(number)
                        .append(": ").append(subscription.queryString()).append('\n'));
                out.append(transportSummary(target.transportConfig()));
                yield Reply.ok(out.toString());
            }
            default -> Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                    "sync: unknown action '" + action.strip() + "'; " + usage);
        });
    }

    /**
     * Registers a sync subscription on the open instance: peers send this one the documents
     * matching it. Allowed before and during sync.
     *
     * @param dql a SELECT statement; null or blank is an error
     * @return {@code subscription N registered: <dql>}, numbered from 1 per opened database, or
     *         an error (the engine's code, for example {@code unsupported} for a statement that is
     *         not a SELECT)
     */
    public synchronized Reply subscribe(String dql) {
        if (dql == null || dql.isBlank()) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                    "subscribe: no DQL statement given; usage: subscribe <select statement>");
        }
        Ditto target = openInstance();
        if (target == null) {
            return notOpen("subscribe");
        }
        return guarded(() -> {
            SyncSubscription subscription = target.sync().registerSubscription(dql);
            int number = nextSubscriptionNumber++;
            subscriptions.put(number, subscription);
            return Reply.ok("subscription " + number + " registered: " + dql);
        });
    }

    /**
     * Cancels one sync subscription, or all of them. Documents already received stay.
     *
     * @param which a subscription number as {@link #subscribe} printed it, or {@code all}
     * @return {@code cancelled subscription N} or {@code cancelled subscriptions [..]}, or an
     *         error if {@code which} is neither {@code all} nor an active subscription's number
     */
    public synchronized Reply unsubscribe(String which) {
        pruneCancelledSubscriptions();
        String usage = "usage: unsubscribe <subscription number|all>";
        if (which == null || which.isBlank()) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "unsubscribe: no subscription given; " + usage);
        }
        String trimmed = which.strip();
        if (trimmed.equalsIgnoreCase("all")) {
            List<Integer> numbers = new ArrayList<>(subscriptions.keySet());
            return guarded(() -> {
                cancelSubscriptions();
                return Reply.ok(numbers.isEmpty() ? "no subscription is active" : "cancelled subscriptions " + numbers);
            });
        }
        int number;
        try {
            number = Integer.parseInt(trimmed);
        } catch (NumberFormatException e) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                    "unsubscribe: '" + trimmed + "' is not a subscription number; " + usage);
        }
        SyncSubscription subscription = subscriptions.remove(number);
        if (subscription == null) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "unsubscribe: no active subscription " + number
                    + (subscriptions.isEmpty() ? "; none is active" : "; active: " + subscriptions.keySet()));
        }
        return guarded(() -> {
            subscription.cancel();
            return Reply.ok("cancelled subscription " + number);
        });
    }

    /**
     * Shows or changes the transport configuration of the open instance; a change applies at
     * once, also while sync runs. Forms ({@code [ip:]port}: the IP defaults to {@code 0.0.0.0},
     * every interface):
     * <pre>
     *   transport show                       the configuration as JSON
     *   transport listen [ip:]port           accept TCP connections there
     *   transport listen off                 stop accepting
     *   transport connect host:port          dial a peer's TCP listener (repeatable)
     *   transport disconnect host:port|all   stop dialing it, or every peer
     *   transport lan on|off                 LAN discovery (mDNS and multicast) on or off
     * </pre>
     *
     * @param args the words after {@code transport}; never null
     * @return the JSON for {@code show}, else the {@linkplain #transportSummary summary line} of
     *         the new configuration; or an error naming the malformed argument
     */
    public synchronized Reply transport(List<String> args) {
        String usage = "usage: transport show | listen [ip:]port | listen off | connect host:port"
                + " | disconnect host:port|all | lan on|off";
        Ditto target = openInstance();
        if (target == null) {
            return notOpen("transport");
        }
        if (args.isEmpty() || args.size() > 2 || (args.size() == 1 && !args.get(0).equalsIgnoreCase("show"))) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "transport: " + usage);
        }
        String verb = args.get(0).toLowerCase(java.util.Locale.ROOT);
        if (verb.equals("show")) {
            return guarded(() -> Reply.ok(target.transportConfig().toJson()));
        }
        String value = args.get(1).strip();
        Consumer<TransportConfig> change;
        switch (verb) {
            case "listen" -> {
                if (value.equalsIgnoreCase("off")) {
                    change = c -> c.listen().tcp().setEnabled(false);
                } else {
                    int colon = value.lastIndexOf(':');
                    String ip = colon < 0 ? "0.0.0.0" : value.substring(0, colon);
                    int port = port(colon < 0 ? value : value.substring(colon + 1));
                    if (port < 0 || ip.isEmpty()) {
                        return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "transport listen: '" + value
                                + "' is not [ip:]port with a port from 0 to 65535");
                    }
                    change = c -> c.enableTcpListen(ip, port);
                }
            }
            case "connect" -> {
                int colon = value.lastIndexOf(':');
                if (colon <= 0 || port(value.substring(colon + 1)) <= 0) {
                    return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "transport connect: '" + value
                            + "' is not host:port with a port from 1 to 65535");
                }
                change = c -> c.addTcpServer(value);
            }
            case "disconnect" -> {
                if (value.equalsIgnoreCase("all")) {
                    change = c -> c.connect().setTcpServers(List.of());
                } else {
                    if (!target.transportConfig().connect().tcpServers().contains(value)) {
                        return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "transport disconnect: '" + value
                                + "' is not configured; connect=" + target.transportConfig().connect().tcpServers());
                    }
                    change = c -> {
                        List<String> servers = new ArrayList<>(c.connect().tcpServers());
                        servers.remove(value);
                        c.connect().setTcpServers(servers);
                    };
                }
            }
            case "lan" -> {
                if (!value.equalsIgnoreCase("on") && !value.equalsIgnoreCase("off")) {
                    return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "transport lan: '" + value
                            + "' is neither on nor off");
                }
                boolean on = value.equalsIgnoreCase("on");
                change = c -> c.peerToPeer().lan().setEnabled(on).setMdnsEnabled(on).setMulticastEnabled(on);
            }
            default -> {
                return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "transport: unknown action '"
                        + args.get(0) + "'; " + usage);
            }
        }
        return guarded(() -> {
            target.updateTransportConfig(change);
            return Reply.ok(transportSummary(target.transportConfig()));
        });
    }

    /**
     * Draws the open instance's presence graph as a tree: the local peer, then each remote peer
     * with its device name, peer key prefix and connection types.
     *
     * @return the tree ({@link #presenceTree}), or the engine's error when presence is not
     *         available
     */
    public synchronized Reply peers() {
        Ditto target = openInstance();
        if (target == null) {
            return notOpen("peers");
        }
        return guarded(() -> Reply.ok(presenceTree(target.presence().graph())));
    }

    /**
     * Shows the transport diagnostics and the replication state per remote peer of the open
     * instance.
     *
     * @return {@code sync: active|stopped}, {@code transports:} with one line per transport
     *         (peers connecting, connected, disconnecting, disconnected, or why it is
     *         unavailable), then {@code system:data_sync_info:} with one JSON line per row; or an
     *         error
     */
    public synchronized Reply diag() {
        Ditto target = openInstance();
        if (target == null) {
            return notOpen("diag");
        }
        return guarded(() -> {
            StringBuilder out = new StringBuilder("sync: ").append(target.sync().isActive() ? "active" : "stopped")
                    .append('\n').append(transportSummary(target.transportConfig())).append('\n');
            out.append(diagnosticsLines(target.transportDiagnostics()));
            out.append("system:data_sync_info:");
            try (QueryResult result = target.store().execute("SELECT * FROM system:data_sync_info")) {
                if (result.itemCount() == 0) {
                    out.append(" no peer yet");
                }
                for (QueryResultItem item : result.items()) {
                    try (item) {
                        out.append("\n  ").append(item.jsonString());
                    }
                }
            }
            return Reply.ok(out.toString());
        });
    }

    /**
     * Gives the open instance an offline license token (needed for {@code sync start} when the
     * deployment configures a license issuer key).
     *
     * @param token the token, {@code base64url(payload).base64url(signature)}
     * @return {@code license token set; activated: true|false}, or an error if the token is
     *         malformed or wrongly signed
     */
    public synchronized Reply license(String token) {
        if (token == null || token.isBlank()) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "license: no token given; usage: license <token>");
        }
        Ditto target = openInstance();
        if (target == null) {
            return notOpen("license");
        }
        return guarded(() -> {
            target.setOfflineOnlyLicenseToken(token.strip());
            return Reply.ok("license token set; activated: " + target.isActivated());
        });
    }

    /**
     * Logs the open client in to its server, from the words after {@code login}:
     * <pre>
     *   login &lt;token&gt; [provider]                    a token checked by the provider
     *   login --user &lt;name&gt; &lt;password&gt; [provider]   a user name and password
     * </pre>
     * The provider defaults to the development provider
     * ({@value AuthenticationProvider#DEVELOPMENT_NAME}), which a server accepts only in
     * development mode. Blocks while the server asks the provider.
     *
     * @param args the words after {@code login}; never null
     * @return {@code logged in to <url> as <user id> (provider <name>)}, followed by
     *         {@code ; client info: <json>} when the provider sent any; or the engine's
     *         {@code authentication} error with the server's reason; or an error if no database
     *         is open, it is not a client of a server, or the words do not fit
     */
    public synchronized Reply login(List<String> args) {
        boolean withCredentials = !args.isEmpty() && args.get(0).equals("--user");
        List<String> rest = withCredentials ? args.subList(1, args.size()) : args;
        int required = withCredentials ? 2 : 1;
        if (rest.size() < required || rest.size() > required + 1) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(), "login: "
                    + (withCredentials ? "--user takes a name, a password and optionally a provider"
                            : args.isEmpty() ? "no token given" : "takes a token and optionally a provider")
                    + "; usage: " + LOGIN_USAGE);
        }
        for (String word : rest) {
            if (word.startsWith("--")) {
                return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                        "login: unknown option '" + word + "'; usage: " + LOGIN_USAGE);
            }
        }
        Ditto target = openInstance();
        if (target == null) {
            return notOpen("login");
        }
        Authenticator auth = authenticator(target);
        if (auth == null) {
            return notClient("login");
        }
        String providerName = rest.size() > required ? rest.get(required) : AuthenticationProvider.DEVELOPMENT_NAME;
        String url = serverUrl;
        return guarded(() -> {
            AuthenticationProvider provider = AuthenticationProvider.of(providerName);
            if (withCredentials) {
                auth.loginWithCredentials(rest.get(0), rest.get(1), provider);
            } else {
                auth.login(rest.get(0), provider);
            }
            AuthenticationStatus status = auth.status();
            Map<String, Object> clientInfo = status.clientInfo();
            return Reply.ok("logged in to " + url + " as " + status.userId() + " (provider " + provider.name() + ")"
                    + (clientInfo.isEmpty() ? "" : "; client info: " + json(clientInfo)));
        });
    }

    /**
     * Logs the open client out of its server: the engine stops sync, ends every replication
     * session and forgets the credentials; the documents in the local store stay.
     *
     * @return {@code logged out <user id> from <url>; sync stopped; credentials forgotten; local
     *         data kept} (with {@code (was not logged in)} and {@code sync was not running} as the
     *         case may be), or an error if no database is open or it is not a client of a server
     */
    public synchronized Reply logout() {
        Ditto target = openInstance();
        if (target == null) {
            return notOpen("logout");
        }
        Authenticator auth = authenticator(target);
        if (auth == null) {
            return notClient("logout");
        }
        String url = serverUrl;
        return guarded(() -> {
            AuthenticationStatus before = auth.status();
            boolean syncing = target.sync().isActive();
            auth.logout(null);
            return Reply.ok("logged out " + (before.isAuthenticated() ? before.userId() : "(was not logged in)")
                    + " from " + url + "; " + (syncing ? "sync stopped" : "sync was not running")
                    + "; credentials forgotten; local data kept");
        });
    }

    /**
     * Shows the authentication state of the open client, from the words after {@code auth}
     * (none, or {@code status}):
     * <pre>
     *   server: http://127.0.0.1:8080
     *   authenticated: true
     *   user id: alice
     *   client info: {"plan":"gold"}
     * </pre>
     * Not authenticated, the last two lines are replaced by
     * {@code (run login <token> [provider])}.
     *
     * @param args the words after {@code auth}: none or {@code status}
     * @return the state, or an error if no database is open, it is not a client of a server, or
     *         the action is unknown
     */
    public synchronized Reply auth(List<String> args) {
        if (args.size() > 1 || (args.size() == 1 && !args.get(0).equalsIgnoreCase("status"))) {
            return Reply.error(ErrorCode.INVALID_ARGUMENTS.wireName(),
                    "auth: unknown action '" + String.join(" ", args) + "'; usage: auth [status]");
        }
        Ditto target = openInstance();
        if (target == null) {
            return notOpen("auth");
        }
        Authenticator auth = authenticator(target);
        if (auth == null) {
            return notClient("auth");
        }
        String url = serverUrl;
        return guarded(() -> {
            AuthenticationStatus status = auth.status();
            StringBuilder out = new StringBuilder("server: ").append(url)
                    .append("\nauthenticated: ").append(status.isAuthenticated());
            if (status.isAuthenticated()) {
                out.append("\nuser id: ").append(status.userId())
                        .append("\nclient info: ").append(json(status.clientInfo()));
            } else {
                out.append("\n(run login <token> [provider])");
            }
            return Reply.ok(out.toString());
        });
    }

    /** The open instance's authenticator if this shell opened it as a client of a server, else null. */
    private Authenticator authenticator(Ditto target) {
        return serverUrl == null ? null : target.auth().orElse(null);
    }

    private static Reply notClient(String command) {
        return Reply.error(ErrorCode.AUTHENTICATOR_NOT_AVAILABLE.wireName(), command
                + ": the open database is not a client of a server; open it with --server URL");
    }

    /** The line {@code server: <url> (logged in as <user>|not logged in)} of {@code status} and {@code sync status}. */
    private static String serverLine(String url, Ditto client) {
        AuthenticationStatus status = client.auth().map(Authenticator::status)
                .orElse(AuthenticationStatus.UNAUTHENTICATED);
        return "server: " + url + " (" + (status.isAuthenticated() ? "logged in as " + status.userId()
                : "not logged in") + ")";
    }

    /**
     * Writes a JSON-model value (null, Boolean, Number, String, byte[] as base64, List, Map with
     * String keys) as compact JSON, maps in their own order.
     *
     * @param value the value
     * @return the JSON text
     */
    static String json(Object value) {
        StringBuilder out = new StringBuilder();
        appendJson(out, value);
        return out.toString();
    }

    private static void appendJson(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof Boolean || value instanceof Number) {
            out.append(value);
        } else if (value instanceof byte[] bytes) {
            appendJsonString(out, java.util.Base64.getEncoder().encodeToString(bytes));
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            String separator = "";
            for (Map.Entry<?, ?> e : map.entrySet()) {
                out.append(separator);
                appendJsonString(out, String.valueOf(e.getKey()));
                out.append(':');
                appendJson(out, e.getValue());
                separator = ",";
            }
            out.append('}');
        } else if (value instanceof Collection<?> list) {
            out.append('[');
            String separator = "";
            for (Object element : list) {
                out.append(separator);
                appendJson(out, element);
                separator = ",";
            }
            out.append(']');
        } else {
            appendJsonString(out, value.toString());
        }
    }

    private static void appendJsonString(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    /**
     * Formats a transport configuration's peer-to-peer part on one line:
     * {@code transport: lan=on|off listen=ip:port|off connect=[host:port, ..]}.
     *
     * @param config the configuration, never null
     * @return the line, without a line break
     */
    static String transportSummary(TransportConfig config) {
        TransportConfig.ListenTcp tcp = config.listen().tcp();
        return "transport: lan=" + (config.peerToPeer().lan().isEnabled() ? "on" : "off")
                + " listen=" + (tcp.isEnabled() ? tcp.interfaceIp() + ":" + tcp.port() : "off")
                + " connect=" + config.connect().tcpServers();
    }

    /**
     * Formats transport diagnostics: {@code transports:} then, per transport,
     * {@code   <type>: connected=[..] connecting=[..] ...} (empty states left out) or
     * {@code   <type>: unavailable (<reason>)}; each line ends with a line break.
     *
     * @param diagnostics the diagnostics, never null
     * @return the lines
     */
    static String diagnosticsLines(TransportDiagnostics diagnostics) {
        StringBuilder out = new StringBuilder("transports:");
        if (diagnostics.transports().isEmpty()) {
            out.append(" none running");
        }
        out.append('\n');
        for (TransportSnapshot t : diagnostics.transports()) {
            out.append("  ").append(t.connectionType()).append(':');
            if (t.unavailableReason().isPresent()) {
                out.append(" unavailable (").append(t.unavailableReason().get()).append(')');
            } else if (t.totalPeers() == 0) {
                out.append(" no peers");
            } else {
                appendState(out, "connected", t.connected());
                appendState(out, "connecting", t.connecting());
                appendState(out, "disconnecting", t.disconnecting());
                appendState(out, "disconnected", t.disconnected());
            }
            out.append('\n');
        }
        return out.toString();
    }

    /** The number of characters of a peer key {@link #presenceTree} prints. */
    static final int PEER_KEY_PREFIX = 12;

    /**
     * Draws a presence graph as a tree, one line per peer:
     * <pre>
     * local: gateway-a  pkAbCdEf0123…  [lan]
     * ├── gateway-b  pk9876543210…  [lan]
     * └── phone  pkFfEeDdCcBb…  [bluetooth_le, lan]
     * </pre>
     * The local line lists the types of its own connections; a remote line lists the types of
     * that peer's connections. Remote peers are sorted by device name, then key.
     *
     * @param graph the graph, never null
     * @return the tree, without a final line break
     */
    static String presenceTree(PresenceGraph graph) {
        StringBuilder out = new StringBuilder("local: ").append(peerLine(graph.localPeer()));
        List<Peer> remotes = new ArrayList<>(graph.remotePeers());
        remotes.sort(java.util.Comparator.comparing(Peer::deviceName).thenComparing(Peer::peerKeyString));
        if (remotes.isEmpty()) {
            out.append("\n(no remote peers)");
        }
        for (int i = 0; i < remotes.size(); i++) {
            out.append('\n').append(i == remotes.size() - 1 ? "└── " : "├── ").append(peerLine(remotes.get(i)));
        }
        return out.toString();
    }

    private static String peerLine(Peer peer) {
        String key = peer.peerKeyString();
        String prefix = key.length() > PEER_KEY_PREFIX ? key.substring(0, PEER_KEY_PREFIX) + "…" : key;
        java.util.Set<String> types = new java.util.TreeSet<>();
        for (Connection c : peer.connections()) {
            types.add(c.type().wireName());
        }
        return (peer.deviceName().isEmpty() ? "(no name)" : peer.deviceName()) + "  " + prefix + "  " + types;
    }

    private static void appendState(StringBuilder out, String state, List<String> peers) {
        if (!peers.isEmpty()) {
            out.append(' ').append(state).append('=').append(peers);
        }
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text.strip());
            return port >= 0 && port <= 65535 ? port : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private Ditto openInstance() {
        return instance == null || instance.isClosed() ? null : instance;
    }

    private static Reply notOpen(String command) {
        return Reply.error(ErrorCode.CLOSED.wireName(),
                command + ": no database is open; run open [directory] [databaseId] first");
    }

    private void pruneCancelledSubscriptions() {
        subscriptions.values().removeIf(SyncSubscription::isCancelled);
    }

    private void cancelSubscriptions() {
        try {
            for (SyncSubscription subscription : subscriptions.values()) {
                subscription.cancel();
            }
        } finally {
            subscriptions.clear();
        }
    }

    /**
     * Describes the engine and the open instance.
     *
     * @return the Ditto version, the open instance (or none) and, for a client of a server,
     *         {@code server: <url> (logged in as <user id>|not logged in)}, one line
     *         {@code observer N: <dql>} per active observer and the
     *         {@linkplain #pluginsLine loaded plug-ins}
     */
    public synchronized Reply status() {
        pruneCanceledObservers();
        return guarded(() -> {
            String open = instance == null || instance.isClosed()
                    ? "database: none open (run open [directory] [databaseId])"
                    : "database: " + instance.databaseId() + " open at "
                            + instance.absolutePersistenceDirectory()
                            + (serverUrl == null ? "" : "\n" + serverLine(serverUrl, instance));
            StringBuilder active = new StringBuilder();
            observers.forEach((number, observer) ->
                    active.append("observer ").append(number).append(": ").append(observer.queryString()).append('\n'));
            pruneCancelledSubscriptions();
            if (instance != null && !instance.isClosed()) {
                active.append("sync: ").append(instance.sync().isActive() ? "active" : "stopped").append('\n');
            }
            subscriptions.forEach((number, subscription) -> active.append("subscription ").append(number)
                    .append(": ").append(subscription.queryString()).append('\n'));
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
        serverUrl = null;
        if (instance == null) {
            observers.clear();
            subscriptions.clear();
            return Reply.ok("no database is open");
        }
        Ditto closing = instance;
        instance = null;
        return guarded(() -> {
            try {
                cancelObservers();
                subscriptions.clear();
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
