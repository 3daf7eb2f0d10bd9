package ditto.engine.dql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The system settings of one Ditto instance, changed by {@code ALTER SYSTEM SET/RESET} and read
 * by {@code SHOW}. Held in memory (a new instance starts with the defaults). Names are
 * case-insensitive; values are type-checked. Thread-safe: reads are lock-free, changes are
 * serialized, and listeners run on the changing thread after the change.
 *
 * <table>
 * <caption>Settings</caption>
 * <tr><th>name</th><th>type</th><th>default</th></tr>
 * <tr><td>DQL_STRICT_MODE</td><td>boolean</td><td>false</td></tr>
 * <tr><td>TOMBSTONE_TTL_ENABLED</td><td>boolean</td><td>true</td></tr>
 * <tr><td>TOMBSTONE_TTL_HOURS</td><td>integer ≥ 1</td><td>168</td></tr>
 * <tr><td>DOCUMENT_SIZE_SOFT_LIMIT_BYTES</td><td>integer ≥ 1, ≤ hard limit</td><td>262144</td></tr>
 * <tr><td>DOCUMENT_SIZE_HARD_LIMIT_BYTES</td><td>integer ≥ soft limit, ≤ 2^31-1</td><td>5242880</td></tr>
 * <tr><td>USER_COLLECTION_SYNC_SCOPES</td><td>object: collection → AllPeers | BigPeerOnly | SmallPeersOnly | LocalPeerOnly</td><td>{}</td></tr>
 * <tr><td>DQL_RESTRICT_SUBSCRIPTIONS</td><td>boolean</td><td>true</td></tr>
 * <tr><td>ATTACHMENTS_AUTO_FETCH</td><td>boolean</td><td>false</td></tr>
 * <tr><td>SMALL_PEER_INFO_PUBLISH_INTERVAL_SECS</td><td>integer ≥ 1</td><td>300</td></tr>
 * <tr><td>TRANSACTION_DURATION_BEFORE_LOGGING_MS</td><td>integer ≥ 1</td><td>10000</td></tr>
 * </table>
 */
public final class DqlSettings {

    /** Objects become MAPs when false; every undeclared field is a REGISTER when true. */
    public static final String DQL_STRICT_MODE = "DQL_STRICT_MODE";
    /** Whether expired tombstones are reaped. */
    public static final String TOMBSTONE_TTL_ENABLED = "TOMBSTONE_TTL_ENABLED";
    /** Hours after which a tombstone expires. */
    public static final String TOMBSTONE_TTL_HOURS = "TOMBSTONE_TTL_HOURS";
    /** Encoded document size above which a warning is logged, in bytes. */
    public static final String DOCUMENT_SIZE_SOFT_LIMIT_BYTES = "DOCUMENT_SIZE_SOFT_LIMIT_BYTES";
    /** Encoded document size above which a write fails, in bytes. */
    public static final String DOCUMENT_SIZE_HARD_LIMIT_BYTES = "DOCUMENT_SIZE_HARD_LIMIT_BYTES";
    /** Per user collection: which peers it syncs with. */
    public static final String USER_COLLECTION_SYNC_SCOPES = "USER_COLLECTION_SYNC_SCOPES";
    /** When true, subscriptions may not use LIMIT or ORDER BY. */
    public static final String DQL_RESTRICT_SUBSCRIPTIONS = "DQL_RESTRICT_SUBSCRIPTIONS";
    /** Whether attachments referenced by synced documents are fetched automatically. */
    public static final String ATTACHMENTS_AUTO_FETCH = "ATTACHMENTS_AUTO_FETCH";
    /** Seconds between small-peer-info collections. */
    public static final String SMALL_PEER_INFO_PUBLISH_INTERVAL_SECS = "SMALL_PEER_INFO_PUBLISH_INTERVAL_SECS";
    /** Milliseconds a transaction may stay open before it is logged. */
    public static final String TRANSACTION_DURATION_BEFORE_LOGGING_MS = "TRANSACTION_DURATION_BEFORE_LOGGING_MS";

    /** The sync scope values, as written in settings and results. */
    public static final List<String> SYNC_SCOPES = List.of("AllPeers", "BigPeerOnly", "SmallPeersOnly", "LocalPeerOnly");

    private enum Type { BOOLEAN, INTEGER, SCOPES }

    private record Definition(Type type, Object defaultValue, long min) {
    }

    private static final Map<String, Definition> DEFINITIONS;

    static {
        Map<String, Definition> d = new TreeMap<>();
        d.put(DQL_STRICT_MODE, new Definition(Type.BOOLEAN, false, 0));
        d.put(TOMBSTONE_TTL_ENABLED, new Definition(Type.BOOLEAN, true, 0));
        d.put(TOMBSTONE_TTL_HOURS, new Definition(Type.INTEGER, 168L, 1));
        d.put(DOCUMENT_SIZE_SOFT_LIMIT_BYTES, new Definition(Type.INTEGER, 262_144L, 1));
        d.put(DOCUMENT_SIZE_HARD_LIMIT_BYTES, new Definition(Type.INTEGER, 5_242_880L, 1));
        d.put(USER_COLLECTION_SYNC_SCOPES, new Definition(Type.SCOPES, Map.of(), 0));
        d.put(DQL_RESTRICT_SUBSCRIPTIONS, new Definition(Type.BOOLEAN, true, 0));
        d.put(ATTACHMENTS_AUTO_FETCH, new Definition(Type.BOOLEAN, false, 0));
        d.put(SMALL_PEER_INFO_PUBLISH_INTERVAL_SECS, new Definition(Type.INTEGER, 300L, 1));
        d.put(TRANSACTION_DURATION_BEFORE_LOGGING_MS, new Definition(Type.INTEGER, 10_000L, 1));
        DEFINITIONS = Collections.unmodifiableMap(d);
    }

    private final Map<String, Object> values = new ConcurrentHashMap<>();
    private final List<BiConsumer<String, Object>> listeners = new CopyOnWriteArrayList<>();

    /** Creates settings holding the defaults. */
    public DqlSettings() {
        for (Map.Entry<String, Definition> e : DEFINITIONS.entrySet()) {
            values.put(e.getKey(), e.getValue().defaultValue());
        }
    }

    /** Returns every setting name (upper case, sorted). */
    public static List<String> names() {
        return List.copyOf(DEFINITIONS.keySet());
    }

    /**
     * Returns a setting's default value.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for an unknown name
     */
    public static Object defaultValue(String name) {
        return DEFINITIONS.get(canonical(name)).defaultValue();
    }

    private static String canonical(String name) {
        Objects.requireNonNull(name, "name");
        String upper = name.toUpperCase(Locale.ROOT);
        if (!DEFINITIONS.containsKey(upper)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "system setting '" + Lexer.abbreviate(name)
                    + "' does not exist (known: " + String.join(", ", DEFINITIONS.keySet()) + ")");
        }
        return upper;
    }

    /**
     * Returns a setting's current value: a Boolean, a Long, or for
     * {@link #USER_COLLECTION_SYNC_SCOPES} an unmodifiable {@code Map<String, String>}.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for an unknown name
     */
    public Object get(String name) {
        return values.get(canonical(name));
    }

    /**
     * Changes a setting.
     *
     * @param name the setting, any case
     * @param value the new value (JSON model); integers may be given as whole doubles
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} naming the setting for an
     *         unknown name or a value of the wrong type or range
     */
    public synchronized void set(String name, Object value) {
        String key = canonical(name);
        Object checked = check(key, value);
        if (key.equals(DOCUMENT_SIZE_SOFT_LIMIT_BYTES) && (Long) checked > documentSizeHardLimitBytes()) {
            throw invalid(key, "must not exceed " + DOCUMENT_SIZE_HARD_LIMIT_BYTES + " (" + documentSizeHardLimitBytes() + ")");
        }
        if (key.equals(DOCUMENT_SIZE_HARD_LIMIT_BYTES) && (Long) checked < documentSizeSoftLimitBytes()) {
            throw invalid(key, "must not be below " + DOCUMENT_SIZE_SOFT_LIMIT_BYTES + " (" + documentSizeSoftLimitBytes() + ")");
        }
        values.put(key, checked);
        notifyListeners(key, checked);
    }

    /**
     * Restores a setting's default. Resetting one document size limit keeps the other as it
     * is, unless the pair would then be inconsistent, in which case both are reset.
     *
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for an unknown name
     */
    public synchronized void reset(String name) {
        String key = canonical(name);
        Object d = DEFINITIONS.get(key).defaultValue();
        values.put(key, d);
        notifyListeners(key, d);
        if (documentSizeSoftLimitBytes() > documentSizeHardLimitBytes()) {
            String other = key.equals(DOCUMENT_SIZE_SOFT_LIMIT_BYTES) ? DOCUMENT_SIZE_HARD_LIMIT_BYTES : DOCUMENT_SIZE_SOFT_LIMIT_BYTES;
            Object od = DEFINITIONS.get(other).defaultValue();
            values.put(other, od);
            notifyListeners(other, od);
        }
    }

    /** Restores every default. */
    public synchronized void resetAll() {
        for (Map.Entry<String, Definition> e : DEFINITIONS.entrySet()) {
            if (!values.get(e.getKey()).equals(e.getValue().defaultValue())) {
                values.put(e.getKey(), e.getValue().defaultValue());
                notifyListeners(e.getKey(), e.getValue().defaultValue());
            }
        }
    }

    /** Returns all current values by name (sorted, unmodifiable). */
    public Map<String, Object> snapshot() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String name : DEFINITIONS.keySet()) {
            out.put(name, values.get(name));
        }
        return Collections.unmodifiableMap(out);
    }

    /**
     * Registers a listener called with (name, new value) after each change, on the changing
     * thread. It should be quick and must not throw.
     *
     * @return a handle whose {@code close()} (idempotent) removes the listener
     */
    public AutoCloseable onChange(BiConsumer<String, Object> listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void notifyListeners(String name, Object value) {
        for (BiConsumer<String, Object> l : listeners) {
            l.accept(name, value);
        }
    }

    /**
     * Executes {@code ALTER SYSTEM SET/RESET} or {@code SHOW}.
     *
     * @return the result items: none for ALTER SYSTEM; for SHOW one {@code {"name": N, "value": V}}
     *         item per setting (SHOW ALL: every setting, sorted by name)
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} for an unknown name, a bad value
     *         or a missing argument; {@link ErrorCode#UNSUPPORTED} for another statement kind
     */
    public List<Map<String, Object>> execute(Statement statement, EvalContext ctx) {
        if (statement instanceof Statement.AlterSystemSet set) {
            set(set.name(), Dql.evaluate(set.value(), null, ctx));
            return List.of();
        } else if (statement instanceof Statement.AlterSystemReset reset) {
            if (reset.all()) {
                resetAll();
            } else {
                reset(reset.name());
            }
            return List.of();
        } else if (statement instanceof Statement.Show show) {
            List<Map<String, Object>> out = new ArrayList<>();
            if (show.all()) {
                snapshot().forEach((k, v) -> out.add(item(k, v)));
            } else {
                String key = canonical(show.name());
                out.add(item(key, values.get(key)));
            }
            return Collections.unmodifiableList(out);
        }
        throw new DittoException(ErrorCode.UNSUPPORTED,
                "settings: cannot execute a " + statement.kind() + " statement");
    }

    private static Map<String, Object> item(String name, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("value", value);
        return Collections.unmodifiableMap(m);
    }

    private static Object check(String key, Object value) {
        Definition d = DEFINITIONS.get(key);
        switch (d.type()) {
            case BOOLEAN:
                if (value instanceof Boolean) {
                    return value;
                }
                throw invalid(key, "expects a boolean, got " + describe(value));
            case INTEGER: {
                Long n = value instanceof Number num ? ExprCompiler.integralValue(num) : null;
                if (n == null) {
                    throw invalid(key, "expects an integer, got " + describe(value));
                }
                long max = key.equals(DOCUMENT_SIZE_HARD_LIMIT_BYTES) || key.equals(DOCUMENT_SIZE_SOFT_LIMIT_BYTES)
                        ? Integer.MAX_VALUE : Long.MAX_VALUE;
                if (n < d.min() || n > max) {
                    throw invalid(key, "must be between " + d.min() + " and " + max + ", got " + n);
                }
                return n;
            }
            default: {
                if (!(value instanceof Map<?, ?> map)) {
                    throw invalid(key, "expects an object mapping collection names to sync scopes, got " + describe(value));
                }
                Map<String, String> scopes = new TreeMap<>();
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    String coll = String.valueOf(e.getKey());
                    if (coll.isEmpty() || coll.startsWith("__") || coll.startsWith("system:")) {
                        throw invalid(key, "'" + Lexer.abbreviate(coll) + "' is not a user collection name");
                    }
                    String scope = null;
                    if (e.getValue() instanceof String s) {
                        for (String known : SYNC_SCOPES) {
                            if (known.equalsIgnoreCase(s)) {
                                scope = known;
                            }
                        }
                    }
                    if (scope == null) {
                        throw invalid(key, "the scope of collection '" + Lexer.abbreviate(coll) + "' must be one of "
                                + String.join(", ", SYNC_SCOPES) + ", got " + describe(e.getValue()));
                    }
                    scopes.put(coll, scope);
                }
                return Collections.unmodifiableMap(scopes);
            }
        }
    }

    private static String describe(Object v) {
        if (v instanceof String s) {
            return "'" + Lexer.abbreviate(s) + "'";
        }
        if (v instanceof Number || v instanceof Boolean) {
            return Lexer.abbreviate(String.valueOf(v));
        }
        return DqlValues.typeName(v);
    }

    private static DittoException invalid(String key, String why) {
        return new DittoException(ErrorCode.INVALID_ARGUMENTS, "system setting " + key + ": " + why);
    }

    private boolean bool(String name) {
        return (Boolean) values.get(name);
    }

    private long integer(String name) {
        return (Long) values.get(name);
    }

    /** Returns {@link #DQL_STRICT_MODE}. */
    public boolean strictMode() {
        return bool(DQL_STRICT_MODE);
    }

    /** Returns {@link #TOMBSTONE_TTL_ENABLED}. */
    public boolean tombstoneTtlEnabled() {
        return bool(TOMBSTONE_TTL_ENABLED);
    }

    /** Returns {@link #TOMBSTONE_TTL_HOURS}. */
    public long tombstoneTtlHours() {
        return integer(TOMBSTONE_TTL_HOURS);
    }

    /** Returns {@link #DOCUMENT_SIZE_SOFT_LIMIT_BYTES}. */
    public long documentSizeSoftLimitBytes() {
        return integer(DOCUMENT_SIZE_SOFT_LIMIT_BYTES);
    }

    /** Returns {@link #DOCUMENT_SIZE_HARD_LIMIT_BYTES}. */
    public long documentSizeHardLimitBytes() {
        return integer(DOCUMENT_SIZE_HARD_LIMIT_BYTES);
    }

    /** Returns {@link #USER_COLLECTION_SYNC_SCOPES}: collection name to scope, unmodifiable. */
    @SuppressWarnings("unchecked")
    public Map<String, String> userCollectionSyncScopes() {
        return (Map<String, String>) values.get(USER_COLLECTION_SYNC_SCOPES);
    }

    /** Returns the sync scope of a collection: its configured scope, else {@code AllPeers}. */
    public String syncScope(String collection) {
        return userCollectionSyncScopes().getOrDefault(collection, "AllPeers");
    }

    /** Returns {@link #DQL_RESTRICT_SUBSCRIPTIONS}. */
    public boolean restrictSubscriptions() {
        return bool(DQL_RESTRICT_SUBSCRIPTIONS);
    }

    /** Returns {@link #ATTACHMENTS_AUTO_FETCH}. */
    public boolean attachmentsAutoFetch() {
        return bool(ATTACHMENTS_AUTO_FETCH);
    }

    /** Returns {@link #SMALL_PEER_INFO_PUBLISH_INTERVAL_SECS}. */
    public long smallPeerInfoPublishIntervalSecs() {
        return integer(SMALL_PEER_INFO_PUBLISH_INTERVAL_SECS);
    }

    /** Returns {@link #TRANSACTION_DURATION_BEFORE_LOGGING_MS}. */
    public long transactionDurationBeforeLoggingMs() {
        return integer(TRANSACTION_DURATION_BEFORE_LOGGING_MS);
    }
}
