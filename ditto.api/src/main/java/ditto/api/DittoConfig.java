package ditto.api;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The configuration a Ditto instance is opened with: database id, how to connect to peers,
 * where to persist data, and settings for experimental features.
 *
 * <p>Instances are immutable and thread-safe. Start from {@link #defaults()} and derive new
 * configurations with the {@code with…} methods, each of which returns a new instance:
 * <pre>{@code
 * DittoConfig config = DittoConfig.defaults()
 *         .withDatabaseId("5e5fd7a5-1b3f-4b5e-9b8e-7f1e2f3a4b5c")
 *         .withConnect(DittoConfigConnect.smallPeersOnly())
 *         .withPersistenceDirectory("my-data");
 * try (Ditto ditto = Ditto.open(config)) { ... }
 * }</pre>
 *
 * <p>The {@code with…} methods only reject nulls and values that cannot be represented at all;
 * the semantic checks (for example that the database id is a UUID) run in {@link #validate()},
 * which {@link Ditto#open(DittoConfig)} calls. {@link #toString()} never prints secrets.
 */
public final class DittoConfig {

    /** The text that replaces secrets in {@link #redacted()} and {@link Ditto#config()}. */
    public static final String REDACTED = "[REDACTED]";

    /**
     * The database id of {@link #defaults()}: {@value}. It is a fixed, valid UUID, so every peer
     * that keeps the default syncs with every other such peer; real applications choose their
     * own id.
     */
    public static final String DEFAULT_DATABASE_ID = "f3a2c1d0-5b6e-4a7f-8c9d-0e1f2a3b4c5d";

    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static final DittoConfig DEFAULTS =
            new DittoConfig(DEFAULT_DATABASE_ID, DittoConfigConnect.smallPeersOnly(), null, Map.of());

    private final String databaseId;
    private final DittoConfigConnect connect;
    private final Path persistenceDirectory;
    private final Map<String, Object> experimental;

    private DittoConfig(String databaseId, DittoConfigConnect connect, Path persistenceDirectory,
            Map<String, Object> experimental) {
        this.databaseId = databaseId;
        this.connect = connect;
        this.persistenceDirectory = persistenceDirectory;
        this.experimental = experimental;
    }

    /**
     * Returns the default configuration: database id {@link #DEFAULT_DATABASE_ID}, connection
     * {@link DittoConfigConnect.SmallPeersOnly} without a shared secret, the default persistence
     * directory, and no experimental settings. A good start for development; production
     * applications set at least their own database id.
     *
     * @return the shared default instance, never null
     */
    public static DittoConfig defaults() {
        return DEFAULTS;
    }

    /**
     * Returns the database id used when none is given, {@link #DEFAULT_DATABASE_ID}.
     *
     * @return a constant UUID string, never null
     */
    public static String defaultDatabaseId() {
        return DEFAULT_DATABASE_ID;
    }

    /**
     * Returns the directory that relative persistence directories are resolved against.
     *
     * <p>On macOS this is {@code ~/Library/Application Support/Ditto} (under the
     * {@code user.home} system property), which avoids permission problems when the working
     * directory is read-only. On Linux, Windows and every other system it is the current working
     * directory (the {@code user.dir} system property). The directory is not created.
     *
     * @return an absolute path, never null
     */
    public static Path defaultRootDirectory() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.startsWith("mac") || os.contains("os x") || os.startsWith("darwin")) {
            return Path.of(System.getProperty("user.home"), "Library", "Application Support", "Ditto")
                    .toAbsolutePath();
        }
        return Path.of("").toAbsolutePath();
    }

    /**
     * Returns a copy with another database id. The id groups the peers that sync with each
     * other; {@link #validate()} (and so {@link Ditto#open}) requires it to be a UUID.
     *
     * @param id the database id, never null
     * @return a new configuration, never null
     * @throws NullPointerException if {@code id} is null
     */
    public DittoConfig withDatabaseId(String id) {
        return new DittoConfig(Objects.requireNonNull(id, "id"), connect, persistenceDirectory, experimental);
    }

    /**
     * Returns a copy with another way to connect to peers.
     *
     * @param connect the connection kind, never null
     * @return a new configuration, never null
     * @throws NullPointerException if {@code connect} is null
     */
    public DittoConfig withConnect(DittoConfigConnect connect) {
        return new DittoConfig(databaseId, Objects.requireNonNull(connect, "connect"), persistenceDirectory,
                experimental);
    }

    /**
     * Returns a copy with another persistence directory.
     *
     * <p>An absolute path is used as is; a relative path is resolved against
     * {@link #defaultRootDirectory()} when the instance opens; null or the empty path selects the
     * default, {@code <root>/ditto-<databaseId>}. Only one open instance may use a directory at a
     * time. Applications should not read or write the directory's contents themselves.
     *
     * @param directory the directory, or null (or the empty path) for the default
     * @return a new configuration, never null
     */
    public DittoConfig withPersistenceDirectory(Path directory) {
        Path normalized = directory == null || directory.toString().isEmpty() ? null : directory;
        return new DittoConfig(databaseId, connect, normalized, experimental);
    }

    /**
     * Returns a copy with another persistence directory given as text; see
     * {@link #withPersistenceDirectory(Path)}. Null or the empty string selects the default.
     *
     * @param directory the directory, or null or empty for the default
     * @return a new configuration, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the text is not a valid path on
     *         this platform
     */
    public DittoConfig withPersistenceDirectory(String directory) {
        if (directory == null || directory.isEmpty()) {
            return withPersistenceDirectory((Path) null);
        }
        try {
            return withPersistenceDirectory(Path.of(directory));
        } catch (InvalidPathException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG,
                    "persistence directory: '" + directory + "' is not a valid path: " + e.getReason(), e);
        }
    }

    /**
     * Returns a copy with other settings for experimental features, replacing the previous ones.
     *
     * <p>Values must be JSON-model values: null, Boolean, Long, Double, BigInteger, BigDecimal,
     * String, {@code byte[]}, List and Map with String keys, nested at most 64 levels. Integer,
     * Short and Byte are widened to Long and Float to Double. The map is deep-copied, so later
     * changes to it do not affect this configuration. Keys the engine does not know are kept and
     * ignored. Names containing "key", "secret", "password" or "token" are treated as secrets
     * (see {@link #redacted()}).
     *
     * @param experimental the settings, never null (use an empty map for none)
     * @return a new configuration, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if a value is of an unsupported type,
     *         a number is not finite, or the nesting is too deep
     * @throws NullPointerException if {@code experimental} is null
     */
    public DittoConfig withExperimental(Map<String, ?> experimental) {
        Objects.requireNonNull(experimental, "experimental");
        return new DittoConfig(databaseId, connect, persistenceDirectory,
                JsonModelValues.freezeMap(experimental, ErrorCode.INVALID_CONFIG, "experimental config"));
    }

    /** Returns the database id, never null; not necessarily valid until {@link #validate()} passed. */
    public String databaseId() {
        return databaseId;
    }

    /** Returns how the instance connects to peers, never null. */
    public DittoConfigConnect connect() {
        return connect;
    }

    /**
     * Returns the persistence directory exactly as configured (absolute or relative), or empty
     * when the default applies. See {@link #resolvePersistenceDirectory()} for the directory an
     * instance actually uses.
     *
     * @return the configured directory, never null
     */
    public Optional<Path> persistenceDirectory() {
        return Optional.ofNullable(persistenceDirectory);
    }

    /**
     * Returns the absolute directory an instance opened with this configuration uses: an absolute
     * configured path unchanged, a relative one resolved against {@link #defaultRootDirectory()},
     * and {@code <root>/ditto-<databaseId>} when none is configured. The result is normalized; the
     * file system is not touched.
     *
     * @return an absolute path, never null
     */
    public Path resolvePersistenceDirectory() {
        Path root = defaultRootDirectory();
        if (persistenceDirectory == null) {
            return root.resolve("ditto-" + databaseId).normalize();
        }
        return root.resolve(persistenceDirectory).toAbsolutePath().normalize();
    }

    /**
     * Returns the experimental settings as an unmodifiable deep copy; byte arrays in it are fresh
     * copies on every call.
     *
     * @return the settings, never null, empty when none are set
     */
    public Map<String, Object> experimental() {
        return JsonModelValues.copyMap(experimental);
    }

    /**
     * Checks the semantic rules that {@link Ditto#open(DittoConfig)} enforces: the database id
     * must be a UUID in its canonical 8-4-4-4-12 hexadecimal form (either case).
     *
     * @return this configuration, for chaining
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the offending value
     */
    public DittoConfig validate() {
        if (!UUID_PATTERN.matcher(databaseId).matches()) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "database id '" + databaseId
                    + "' is not a UUID (expected form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hexadecimal digits)");
        }
        return this;
    }

    /**
     * Returns a copy with every secret replaced by {@link #REDACTED}; this is what
     * {@link Ditto#config()} returns.
     *
     * <p>Redacted are: the shared key of {@link DittoConfigConnect.SmallPeersOnly} (a byte array,
     * so it becomes the UTF-8 bytes of {@code "[REDACTED]"}; a null key stays null); the user
     * information of a {@link DittoConfigConnect.Server} URL, if any (percent-encoded as the URI
     * syntax requires); and, at any depth of the experimental settings, the value of every key
     * whose name contains "key", "secret", "password" or "token" (case-insensitive), which becomes
     * the String {@code "[REDACTED]"} whatever its type was.
     *
     * @return the redacted configuration, never null; this instance if there was nothing to redact
     */
    public DittoConfig redacted() {
        DittoConfigConnect redactedConnect = connect;
        if (connect instanceof DittoConfigConnect.SmallPeersOnly small) {
            redactedConnect = small.redacted();
        } else if (connect instanceof DittoConfigConnect.Server server && server.url().getUserInfo() != null) {
            URI url = server.url();
            try {
                redactedConnect = new DittoConfigConnect.Server(new URI(url.getScheme(), REDACTED, url.getHost(),
                        url.getPort(), url.getPath(), url.getQuery(), url.getFragment()));
            } catch (URISyntaxException e) {
                throw new DittoException(ErrorCode.INTERNAL, "redacting server URL: " + e.getMessage(), e);
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> redactedExperimental = (Map<String, Object>) redactSecrets(experimental);
        if (redactedConnect == connect && redactedExperimental == experimental) {
            return this;
        }
        return new DittoConfig(databaseId, redactedConnect, persistenceDirectory, redactedExperimental);
    }

    /** Returns the value with secret-named map entries replaced, or the same object if none were. */
    private static Object redactSecrets(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            boolean changed = false;
            for (Map.Entry<?, ?> e : map.entrySet()) {
                String key = (String) e.getKey();
                Object v = e.getValue();
                Object redacted = isSecretName(key) ? REDACTED : redactSecrets(v);
                changed |= redacted != v;
                copy.put(key, redacted);
            }
            return changed ? java.util.Collections.unmodifiableMap(copy) : value;
        }
        if (value instanceof java.util.List<?> list) {
            java.util.List<Object> copy = new java.util.ArrayList<>(list.size());
            boolean changed = false;
            for (Object v : list) {
                Object redacted = redactSecrets(v);
                changed |= redacted != v;
                copy.add(redacted);
            }
            return changed ? java.util.Collections.unmodifiableList(copy) : value;
        }
        return value;
    }

    private static boolean isSecretName(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.contains("key") || lower.contains("secret") || lower.contains("password")
                || lower.contains("token");
    }

    /**
     * Two configurations are equal when their database ids, connections, configured persistence
     * directories and experimental settings are equal (byte arrays compared by content).
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof DittoConfig other
                && databaseId.equals(other.databaseId)
                && connect.equals(other.connect)
                && Objects.equals(persistenceDirectory, other.persistenceDirectory)
                && JsonModelValues.deepEquals(experimental, other.experimental);
    }

    @Override
    public int hashCode() {
        return Objects.hash(databaseId, connect, persistenceDirectory) * 31
                + JsonModelValues.deepHashCode(experimental);
    }

    /** Describes the {@linkplain #redacted() redacted} configuration; never prints a secret. */
    @Override
    public String toString() {
        DittoConfig r = redacted();
        return "DittoConfig[databaseId=" + r.databaseId
                + ", connect=" + r.connect
                + ", persistenceDirectory=" + (r.persistenceDirectory == null ? "<default>" : r.persistenceDirectory)
                + ", experimental=" + JsonModelValues.describe(r.experimental) + "]";
    }
}
