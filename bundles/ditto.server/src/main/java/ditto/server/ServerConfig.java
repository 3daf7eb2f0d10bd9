package ditto.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;

import ditto.api.DittoConfig;
import ditto.api.DittoConfigConnect;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;

/**
 * The settings of the server peer, read from the properties of the configuration PID
 * {@value #PID} ({@code conf/ditto.server.cfg} in the distribution), and their mapping to the
 * engine: a {@link DittoConfig} ({@link #dittoConfig()}) and the listeners of a
 * {@link TransportConfig} ({@link #applyTo(TransportConfig)}).
 *
 * <p>Keys (values are strings as FileInstall delivers them, or typed values from ConfigAdmin;
 * strings are trimmed and an empty value means the default):
 * <pre>
 * database_id                 required; a UUID
 * directory                   persistence directory; default &lt;ditto.home&gt;/server-data, or the
 *                             engine's default directory when ditto.home is unknown
 * tcp.enabled                 true | false, default true
 * tcp.interface               an IP address of this host, or [::] (the default), :: or 0.0.0.0 for all
 * tcp.port                    1-65535, default 4040
 * http.enabled                true | false, default true
 * http.interface              as tcp.interface, default [::]
 * http.port                   1-65535, default 8080
 * http.websocket_sync         true | false, default true
 * http.static_content_path    a directory whose files the HTTP listener serves; default none
 * http.tls_key_path           PEM private key file; with http.tls_certificate_path, HTTPS and wss://
 * http.tls_certificate_path   PEM certificate file; both or neither
 * lan.enabled                 true | false, default false: LAN discovery (mDNS and UDP multicast)
 * development_mode            true | false, default false
 * identity.&lt;name&gt;.&lt;setting&gt;    a setting of the identity provider configured as &lt;name&gt;;
 *                             identity.&lt;name&gt;.type is the provider's id (default &lt;name&gt;); a
 *                             snake_case setting becomes camelCase (hs256_secret: hs256Secret)
 * storage.&lt;option&gt;            passed to the engine unchanged (storage.provider,
 *                             storage.encryption_key, the backend's options; see docs/storage.md)
 * </pre>
 * Keys that ConfigAdmin, FileInstall and Declarative Services add ({@code service.*},
 * {@code component.*}, {@code felix.*}, {@code osgi.*}, {@code objectClass}, and private keys
 * starting with a dot) are ignored; any other key is refused, so that a misspelt key is never
 * silently ignored.
 *
 * <p>Every refusal is a {@link DittoException} with {@link ErrorCode#INVALID_CONFIG} whose message
 * names the key, what was expected and what was found, for example
 * {@code key 'http.port': expected an integer 1-65535, got 'abc'}. Unknown keys are reported
 * first, then the keys in the order above.
 *
 * <p>The engine contract ({@link #dittoConfig()}): database id, small-peers-only connection,
 * persistence directory, and the experimental settings
 * {@code {"server": {"development_mode": Boolean, "identity_providers": {name: {setting: value}}}}}
 * plus the {@code storage.*} keys. Immutable and thread-safe; {@link #toString()} never shows
 * setting values, which may be secrets.
 */
final class ServerConfig {

    /** The configuration PID, also the prefix of every log line of this bundle. */
    static final String PID = "ditto.server";
    /** The framework (or system) property naming the distribution folder. */
    static final String HOME_PROPERTY = "ditto.home";
    /** The folder under {@code ditto.home} that holds the data when {@value #DIRECTORY} is absent. */
    static final String DEFAULT_DIRECTORY_NAME = "server-data";

    static final String DATABASE_ID = "database_id";
    static final String DIRECTORY = "directory";
    static final String TCP_ENABLED = "tcp.enabled";
    static final String TCP_INTERFACE = "tcp.interface";
    static final String TCP_PORT = "tcp.port";
    static final String HTTP_ENABLED = "http.enabled";
    static final String HTTP_INTERFACE = "http.interface";
    static final String HTTP_PORT = "http.port";
    static final String HTTP_WEBSOCKET_SYNC = "http.websocket_sync";
    static final String HTTP_STATIC_CONTENT_PATH = "http.static_content_path";
    static final String HTTP_TLS_KEY_PATH = "http.tls_key_path";
    static final String HTTP_TLS_CERTIFICATE_PATH = "http.tls_certificate_path";
    static final String LAN_ENABLED = "lan.enabled";
    static final String DEVELOPMENT_MODE = "development_mode";
    static final String IDENTITY_PREFIX = "identity.";
    static final String STORAGE_PREFIX = "storage.";

    /** The TCP port used when {@value #TCP_PORT} is absent. */
    static final int DEFAULT_TCP_PORT = 4040;
    /** The HTTP port used when {@value #HTTP_PORT} is absent. */
    static final int DEFAULT_HTTP_PORT = 8080;

    /** Experimental key of the server section, read by the engine. */
    static final String EXPERIMENTAL_SERVER = "server";
    /** Key of the server section: development mode, a Boolean. */
    static final String EXPERIMENTAL_DEVELOPMENT_MODE = "development_mode";
    /** Key of the server section: the identity providers, name to settings. */
    static final String EXPERIMENTAL_IDENTITY_PROVIDERS = "identity_providers";
    /** Setting of an identity provider naming its provider id; absent means the provider's name. */
    static final String IDENTITY_TYPE = "type";

    private static final List<String> KNOWN_KEYS = List.of(DATABASE_ID, DIRECTORY, TCP_ENABLED, TCP_INTERFACE,
            TCP_PORT, HTTP_ENABLED, HTTP_INTERFACE, HTTP_PORT, HTTP_WEBSOCKET_SYNC, HTTP_STATIC_CONTENT_PATH,
            HTTP_TLS_KEY_PATH, HTTP_TLS_CERTIFICATE_PATH, LAN_ENABLED, DEVELOPMENT_MODE);
    private static final List<String> IGNORED_PREFIXES = List.of("service.", "component.", "felix.", "osgi.", ".");
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern IDENTITY_NAME = Pattern.compile("[A-Za-z0-9_-]+");
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_]*");
    private static final Pattern STORAGE_OPTION = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6_CHARACTERS = Pattern.compile("[0-9A-Za-z:.%]+");
    private static final int MAX_SHOWN = 60;

    private final String databaseId;
    private final Path directory;
    private final Listener tcp;
    private final Listener http;
    private final boolean websocketSync;
    private final String staticContentPath;
    private final String tlsKeyPath;
    private final String tlsCertificatePath;
    private final boolean lanEnabled;
    private final boolean developmentMode;
    private final SortedMap<String, SortedMap<String, Object>> identityProviders;
    private final SortedMap<String, Object> storage;

    /**
     * One listener's settings.
     *
     * @param enabled whether it listens
     * @param interfaceIp the address to bind, as configured (trimmed)
     * @param port 1 to 65535
     */
    record Listener(boolean enabled, String interfaceIp, int port) {
        /** Returns {@code ip:port} with an IPv6 address in brackets. */
        String address() {
            return (interfaceIp.contains(":") && !interfaceIp.startsWith("[") ? "[" + interfaceIp + "]" : interfaceIp)
                    + ":" + port;
        }
    }

    private ServerConfig(Parser p) {
        this.databaseId = p.databaseId;
        this.directory = p.directory;
        this.tcp = p.tcp;
        this.http = p.http;
        this.websocketSync = p.websocketSync;
        this.staticContentPath = p.staticContentPath;
        this.tlsKeyPath = p.tlsKeyPath;
        this.tlsCertificatePath = p.tlsCertificatePath;
        this.lanEnabled = p.lanEnabled;
        this.developmentMode = p.developmentMode;
        TreeMap<String, SortedMap<String, Object>> providers = new TreeMap<>();
        p.identityProviders.forEach((name, settings) ->
                providers.put(name, Collections.unmodifiableSortedMap(new TreeMap<>(settings))));
        this.identityProviders = Collections.unmodifiableSortedMap(providers);
        this.storage = Collections.unmodifiableSortedMap(new TreeMap<>(p.storage));
    }

    /**
     * Reads the settings.
     *
     * @param properties the configuration properties; never null
     * @param frameworkProperty looks up a framework (or system) property, answering null when it
     *        is not set; used for {@value #HOME_PROPERTY} when {@value #DIRECTORY} is absent
     * @return the settings, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the first bad key
     * @throws NullPointerException if an argument is null
     */
    static ServerConfig parse(Map<String, ?> properties, Function<String, String> frameworkProperty) {
        Objects.requireNonNull(properties, "properties");
        Objects.requireNonNull(frameworkProperty, "frameworkProperty");
        return new ServerConfig(new Parser(properties, frameworkProperty).parse());
    }

    /** Returns the database id, a UUID; never null. */
    String databaseId() {
        return databaseId;
    }

    /** Returns the persistence directory, or empty for the engine's default. */
    Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** Returns the TCP listener's settings. */
    Listener tcp() {
        return tcp;
    }

    /** Returns the HTTP listener's settings. */
    Listener http() {
        return http;
    }

    /** Returns whether peers may sync over WebSocket connections to the HTTP listener. */
    boolean websocketSync() {
        return websocketSync;
    }

    /** Returns the directory the HTTP listener serves, or empty. */
    Optional<String> staticContentPath() {
        return Optional.ofNullable(staticContentPath);
    }

    /** Returns the PEM key file of HTTPS, or empty for plain HTTP. */
    Optional<String> tlsKeyPath() {
        return Optional.ofNullable(tlsKeyPath);
    }

    /** Returns the PEM certificate file of HTTPS, or empty for plain HTTP. */
    Optional<String> tlsCertificatePath() {
        return Optional.ofNullable(tlsCertificatePath);
    }

    /** Returns whether LAN discovery (mDNS and multicast) is on. */
    boolean lanEnabled() {
        return lanEnabled;
    }

    /** Returns whether the server runs in development mode. */
    boolean developmentMode() {
        return developmentMode;
    }

    /** Returns the identity providers: configured name to settings (camelCase names), sorted; unmodifiable. */
    SortedMap<String, SortedMap<String, Object>> identityProviders() {
        return identityProviders;
    }

    /** Returns the {@code storage.*} settings with their full keys, sorted; unmodifiable. */
    SortedMap<String, Object> storage() {
        return storage;
    }

    /**
     * Returns the engine configuration: database id, {@link DittoConfigConnect#smallPeersOnly()},
     * the persistence directory (or the default) and the experimental settings
     * {@code server} (development mode and identity providers) and {@code storage.*}.
     *
     * @return a new configuration, never null
     */
    DittoConfig dittoConfig() {
        Map<String, Object> providers = new LinkedHashMap<>();
        identityProviders.forEach((name, settings) -> providers.put(name, new LinkedHashMap<>(settings)));
        Map<String, Object> server = new LinkedHashMap<>();
        server.put(EXPERIMENTAL_DEVELOPMENT_MODE, developmentMode);
        server.put(EXPERIMENTAL_IDENTITY_PROVIDERS, providers);
        Map<String, Object> experimental = new LinkedHashMap<>(storage);
        experimental.put(EXPERIMENTAL_SERVER, server);
        return DittoConfig.defaults()
                .withDatabaseId(databaseId)
                .withConnect(DittoConfigConnect.smallPeersOnly())
                .withPersistenceDirectory(directory)
                .withExperimental(experimental);
    }

    /**
     * Sets every transport setting the server controls: Bluetooth LE, AWDL and Wi-Fi Aware off,
     * LAN (with mDNS and multicast) as configured, no outgoing connections, and the TCP and HTTP
     * listeners as configured. The sync group, routing hint and retry interval are kept.
     *
     * @param config the configuration to change in place, never null
     */
    void applyTo(TransportConfig config) {
        config.disableAllPeerToPeer();
        config.peerToPeer().lan().setEnabled(lanEnabled).setMdnsEnabled(true).setMulticastEnabled(true);
        config.connect().setTcpServers(List.of());
        config.connect().setWebsocketUrls(List.of());
        config.listen().tcp().setEnabled(tcp.enabled()).setInterfaceIp(tcp.interfaceIp()).setPort(tcp.port());
        config.listen().http().setEnabled(http.enabled()).setInterfaceIp(http.interfaceIp()).setPort(http.port())
                .setWebsocketSync(websocketSync).setStaticContentPath(staticContentPath)
                .setTlsKeyPath(tlsKeyPath).setTlsCertificatePath(tlsCertificatePath);
    }

    /**
     * Describes the listeners, for example {@code tcp [::]:4040, http [::]:8080 (websocket sync)},
     * or {@code none}.
     *
     * @param config the transport configuration to describe
     * @return the description, never null
     */
    static String describeListeners(TransportConfig config) {
        List<String> parts = new ArrayList<>();
        TransportConfig.ListenTcp tcp = config.listen().tcp();
        if (tcp.isEnabled()) {
            parts.add("tcp " + new Listener(true, tcp.interfaceIp(), tcp.port()).address());
        }
        TransportConfig.ListenHttp http = config.listen().http();
        if (http.isEnabled()) {
            List<String> features = new ArrayList<>();
            if (http.isWebsocketSync()) {
                features.add("websocket sync");
            }
            http.staticContentPath().ifPresent(path -> features.add("static content " + path));
            parts.add((http.tlsKeyPath().isPresent() ? "https " : "http ")
                    + new Listener(true, http.interfaceIp(), http.port()).address()
                    + (features.isEmpty() ? "" : " (" + String.join(", ", features) + ")"));
        }
        return parts.isEmpty() ? "none" : String.join(", ", parts);
    }

    /** Describes the identity providers as {@code name (type)}, or {@code none}; never their settings. */
    String describeIdentityProviders() {
        if (identityProviders.isEmpty()) {
            return "none";
        }
        List<String> parts = new ArrayList<>();
        identityProviders.forEach((name, settings) ->
                parts.add(name + " (" + settings.getOrDefault(IDENTITY_TYPE, name) + ")"));
        return String.join(", ", parts);
    }

    /** Two configurations are equal when every setting is. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ServerConfig other
                && databaseId.equals(other.databaseId)
                && Objects.equals(directory, other.directory)
                && tcp.equals(other.tcp) && http.equals(other.http)
                && websocketSync == other.websocketSync
                && Objects.equals(staticContentPath, other.staticContentPath)
                && Objects.equals(tlsKeyPath, other.tlsKeyPath)
                && Objects.equals(tlsCertificatePath, other.tlsCertificatePath)
                && lanEnabled == other.lanEnabled && developmentMode == other.developmentMode
                && identityProviders.equals(other.identityProviders) && storage.equals(other.storage);
    }

    @Override
    public int hashCode() {
        return Objects.hash(databaseId, directory, tcp, http, websocketSync, staticContentPath, tlsKeyPath,
                tlsCertificatePath, lanEnabled, developmentMode, identityProviders, storage);
    }

    /** Describes the settings without any identity or storage setting value. */
    @Override
    public String toString() {
        return "ServerConfig[databaseId=" + databaseId + ", directory=" + (directory == null ? "<default>" : directory)
                + ", tcp=" + tcp + ", http=" + http + ", websocketSync=" + websocketSync
                + ", staticContentPath=" + staticContentPath + ", tls=" + (tlsKeyPath != null)
                + ", lan=" + lanEnabled + ", developmentMode=" + developmentMode
                + ", identityProviders=" + describeIdentityProviders() + ", storage=" + storage.keySet() + "]";
    }

    /** Reads the properties once, left to right through the keys; holds the values read so far. */
    private static final class Parser {
        private final Map<String, ?> properties;
        private final Function<String, String> frameworkProperty;

        String databaseId;
        Path directory;
        Listener tcp;
        Listener http;
        boolean websocketSync;
        String staticContentPath;
        String tlsKeyPath;
        String tlsCertificatePath;
        boolean lanEnabled;
        boolean developmentMode;
        final Map<String, Map<String, Object>> identityProviders = new TreeMap<>();
        final Map<String, Object> storage = new TreeMap<>();

        Parser(Map<String, ?> properties, Function<String, String> frameworkProperty) {
            this.properties = properties;
            this.frameworkProperty = frameworkProperty;
        }

        Parser parse() {
            rejectUnknownKeys();
            String id = text(DATABASE_ID);
            if (id == null) {
                throw invalid("key '" + DATABASE_ID + "' is required: the id (a UUID) of the database this server serves");
            }
            if (!UUID.matcher(id).matches()) {
                throw bad(DATABASE_ID, "a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hexadecimal digits)", id);
            }
            databaseId = id;
            directory = directory();
            tcp = new Listener(bool(TCP_ENABLED, true), interfaceIp(TCP_INTERFACE), port(TCP_PORT, DEFAULT_TCP_PORT));
            http = new Listener(bool(HTTP_ENABLED, true), interfaceIp(HTTP_INTERFACE),
                    port(HTTP_PORT, DEFAULT_HTTP_PORT));
            websocketSync = bool(HTTP_WEBSOCKET_SYNC, true);
            staticContentPath = existing(HTTP_STATIC_CONTENT_PATH, true);
            tlsKeyPath = existing(HTTP_TLS_KEY_PATH, false);
            tlsCertificatePath = existing(HTTP_TLS_CERTIFICATE_PATH, false);
            if ((tlsKeyPath == null) != (tlsCertificatePath == null)) {
                String set = tlsKeyPath != null ? HTTP_TLS_KEY_PATH : HTTP_TLS_CERTIFICATE_PATH;
                String missing = tlsKeyPath != null ? HTTP_TLS_CERTIFICATE_PATH : HTTP_TLS_KEY_PATH;
                throw invalid("key '" + set + "' is set but '" + missing + "' is not: HTTPS needs both the key and"
                        + " the certificate");
            }
            if (tcp.enabled() && http.enabled() && tcp.port() == http.port() && overlap(tcp, http)) {
                throw invalid("keys '" + TCP_PORT + "' and '" + HTTP_PORT + "': both listeners would use port "
                        + tcp.port() + " (on " + tcp.interfaceIp() + " and " + http.interfaceIp()
                        + "); choose different ports");
            }
            lanEnabled = bool(LAN_ENABLED, false);
            developmentMode = bool(DEVELOPMENT_MODE, false);
            readPrefixed();
            return this;
        }

        private void rejectUnknownKeys() {
            TreeSet<String> unknown = new TreeSet<>();
            for (String key : properties.keySet()) {
                if (!KNOWN_KEYS.contains(key) && !key.startsWith(IDENTITY_PREFIX) && !key.startsWith(STORAGE_PREFIX)
                        && !ignored(key)) {
                    unknown.add(key);
                }
            }
            if (!unknown.isEmpty()) {
                throw invalid("key '" + unknown.first() + "' is not a setting of the server peer (known: "
                        + String.join(", ", KNOWN_KEYS) + ", " + IDENTITY_PREFIX + "<name>.<setting>, "
                        + STORAGE_PREFIX + "<option>)");
            }
        }

        private static boolean ignored(String key) {
            return key.equals("objectClass") || IGNORED_PREFIXES.stream().anyMatch(key::startsWith);
        }

        private Path directory() {
            String value = text(DIRECTORY);
            if (value == null) {
                String home = frameworkProperty.apply(HOME_PROPERTY);
                return home == null || home.isBlank() ? null : path(HOME_PROPERTY, home.strip()).resolve(DEFAULT_DIRECTORY_NAME);
            }
            return path(DIRECTORY, value);
        }

        private static Path path(String key, String value) {
            try {
                return Path.of(value);
            } catch (InvalidPathException e) {
                throw invalid("key '" + key + "': expected a path, got '" + shorten(value) + "' (" + e.getReason() + ")");
            }
        }

        /** Reads an optional file or directory path that must exist now. */
        private String existing(String key, boolean directory) {
            String value = text(key);
            if (value == null) {
                return null;
            }
            Path file = path(key, value);
            if (directory ? !Files.isDirectory(file) : !(Files.isRegularFile(file) && Files.isReadable(file))) {
                throw bad(key, directory ? "an existing directory" : "a readable file", value);
            }
            return value;
        }

        private boolean bool(String key, boolean defaultValue) {
            Object raw = properties.get(key);
            if (raw instanceof Boolean b) {
                return b;
            }
            String value = text(key);
            if (value == null) {
                return defaultValue;
            }
            if (value.equalsIgnoreCase("true")) {
                return true;
            }
            if (value.equalsIgnoreCase("false")) {
                return false;
            }
            throw bad(key, "true or false", value);
        }

        private int port(String key, int defaultValue) {
            Object raw = properties.get(key);
            long port;
            if (raw instanceof Integer || raw instanceof Long || raw instanceof Short || raw instanceof Byte) {
                port = ((Number) raw).longValue();
            } else {
                String value = text(key);
                if (value == null) {
                    return defaultValue;
                }
                if (!value.matches("[0-9]{1,9}")) {
                    throw bad(key, "an integer 1-65535", value);
                }
                port = Long.parseLong(value);
            }
            if (port < 1 || port > 65535) {
                throw bad(key, "an integer 1-65535", String.valueOf(port));
            }
            return (int) port;
        }

        private String interfaceIp(String key) {
            String value = text(key);
            if (value == null) {
                return TransportConfig.ALL_INTERFACES;
            }
            if (isAllInterfaces(value)) {
                return value;
            }
            String literal = value.startsWith("[") && value.endsWith("]") ? value.substring(1, value.length() - 1) : value;
            // only literals reach InetAddress, so no name is ever looked up
            boolean ipv4 = IPV4.matcher(literal).matches()
                    && Arrays.stream(literal.split("\\.")).allMatch(octet -> Integer.parseInt(octet) <= 255);
            boolean ipv6 = literal.indexOf(':') >= 0 && IPV6_CHARACTERS.matcher(literal).matches();
            if (ipv4 || ipv6) {
                try {
                    InetAddress.getByName(literal);
                    return value;
                } catch (UnknownHostException e) {
                    // not a valid literal after all: refused below
                }
            }
            throw bad(key, "an IP address, or " + TransportConfig.ALL_INTERFACES + " for all interfaces", value);
        }

        private void readPrefixed() {
            TreeMap<String, Object> sorted = new TreeMap<>();
            properties.forEach((key, value) -> {
                if (key.startsWith(IDENTITY_PREFIX) || key.startsWith(STORAGE_PREFIX)) {
                    sorted.put(key, value);
                }
            });
            Map<String, String> originalSettingKeys = new TreeMap<>();
            for (String key : sorted.keySet()) {
                if (key.startsWith(STORAGE_PREFIX)) {
                    String option = key.substring(STORAGE_PREFIX.length());
                    if (!STORAGE_OPTION.matcher(option).matches()) {
                        throw invalid("key '" + key + "': expected " + STORAGE_PREFIX + "<option>, for example "
                                + STORAGE_PREFIX + "provider");
                    }
                    Object value = value(key);
                    if (value != null) {
                        storage.put(key, value);
                    }
                    continue;
                }
                String rest = key.substring(IDENTITY_PREFIX.length());
                int dot = rest.indexOf('.');
                String name = dot < 0 ? rest : rest.substring(0, dot);
                String setting = dot < 0 ? "" : rest.substring(dot + 1);
                if (!IDENTITY_NAME.matcher(name).matches() || !SETTING_NAME.matcher(setting).matches()) {
                    throw invalid("key '" + key + "': expected " + IDENTITY_PREFIX + "<name>.<setting> (name of"
                            + " letters, digits, '_' and '-'; setting of letters, digits and '_'), for example "
                            + IDENTITY_PREFIX + "jwt.hs256_secret");
                }
                String camel = camelCase(setting);
                String previous = originalSettingKeys.put(IDENTITY_PREFIX + name + "." + camel, key);
                if (previous != null) {
                    throw invalid("keys '" + previous + "' and '" + key + "' set the same setting " + camel
                            + " of identity provider '" + name + "'; keep one");
                }
                Object value = value(key);
                if (value == null) {
                    continue;
                }
                if (camel.equals(IDENTITY_TYPE) && !(value instanceof String)) {
                    throw bad(key, "the id of an identity provider, such as jwt, webhook or __ditto_dev_provider",
                            String.valueOf(value));
                }
                identityProviders.computeIfAbsent(name, n -> new TreeMap<>()).put(camel, value);
            }
        }

        /** Returns a single value (a trimmed non-empty String, a Number or a Boolean), or null if absent or empty. */
        private Object value(String key) {
            Object raw = properties.get(key);
            if (raw instanceof Number || raw instanceof Boolean) {
                return raw;
            }
            return text(key);
        }

        /** Returns the trimmed text of a single value, or null when the key is absent or the value empty. */
        private String text(String key) {
            Object raw = properties.get(key);
            if (raw == null) {
                return null;
            }
            if (raw.getClass().isArray() || raw instanceof Collection<?>) {
                throw invalid("key '" + key + "': expected a single value, got a list of values");
            }
            String value = raw.toString().strip();
            return value.isEmpty() ? null : value;
        }
    }

    /** Turns {@code hs256_secret} into {@code hs256Secret}; a name without '_' is returned unchanged. */
    static String camelCase(String setting) {
        if (setting.indexOf('_') < 0) {
            return setting;
        }
        StringBuilder out = new StringBuilder(setting.length());
        boolean upper = false;
        for (int i = 0; i < setting.length(); i++) {
            char c = setting.charAt(i);
            if (c == '_') {
                upper = out.length() > 0;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    /** Tells whether an interface setting means every interface. */
    static boolean isAllInterfaces(String interfaceIp) {
        String value = interfaceIp.strip();
        return value.equals(TransportConfig.ALL_INTERFACES) || value.equals("::") || value.equals("0.0.0.0");
    }

    private static boolean overlap(Listener a, Listener b) {
        return isAllInterfaces(a.interfaceIp()) || isAllInterfaces(b.interfaceIp())
                || a.interfaceIp().toLowerCase(Locale.ROOT).equals(b.interfaceIp().toLowerCase(Locale.ROOT));
    }

    private static DittoException bad(String key, String expected, String got) {
        return invalid("key '" + key + "': expected " + expected + ", got '" + shorten(got) + "'");
    }

    private static String shorten(String value) {
        return value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "…" : value;
    }

    private static DittoException invalid(String message) {
        return new DittoException(ErrorCode.INVALID_CONFIG, message);
    }
}
