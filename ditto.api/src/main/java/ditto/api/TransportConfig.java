package ditto.api;

import ditto.api.internal.Cbor;
import ditto.api.internal.Json;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How this peer finds and connects to other peers: which transports run and how they are set
 * up. A mutable value: change it, then hand it to {@link Ditto#setTransportConfig(TransportConfig)}
 * (which copies it) or change the copy given by {@link Ditto#updateTransportConfig}.
 *
 * <p>Four sections mirror the reference SDK:
 * <ul>
 * <li>{@link #peerToPeer()}: direct device-to-device transports: Bluetooth LE, LAN (with mDNS
 * and multicast discovery), AWDL and Wi-Fi Aware. Transports that need hardware the host lacks
 * are accepted here and reported as unavailable in {@link TransportDiagnostics}.</li>
 * <li>{@link #connect()}: outgoing connections to TCP servers and WebSocket URLs, retried every
 * {@link Connect#retryInterval()}.</li>
 * <li>{@link #listen()}: accepting incoming TCP and HTTP/WebSocket connections.</li>
 * <li>{@link #global()}: the sync group that partitions the mesh, and a routing hint.</li>
 * </ul>
 *
 * <p><b>Defaults</b> ({@link #defaults()}, {@code new TransportConfig()}): every transport off;
 * LAN discovery through mDNS and multicast on (so enabling LAN alone is enough); no servers;
 * retry interval 5 s; TCP listening on {@code [::]} port 4040 and HTTP listening on
 * {@code [::]} port 80, both off, no WebSocket sync, no static content, no TLS; sync group and
 * routing hint 0.
 *
 * <p><b>Validation.</b> Setters reject only null; the helpers that take addresses
 * ({@link #addTcpServer}, {@link #addWebsocketUrl}, {@link #setWebsocketUrls} and the
 * {@link Connect} setters) check each address at once. {@link #validate()} checks everything:
 * ranges, addresses and rules that span fields. {@link Ditto#setTransportConfig} and the
 * {@code from*} methods validate.
 *
 * <p><b>Serialization.</b> {@link #toJson()}/{@link #fromJson(String)} and
 * {@link #toCbor()}/{@link #fromCbor(byte[])} use the reference's snake_case field names:
 * <pre>{@code
 * {"peer_to_peer":{"bluetooth_le":{"enabled":false},
 *                  "lan":{"enabled":false,"mdns_enabled":true,"multicast_enabled":true},
 *                  "awdl":{"enabled":false},"wifi_aware":{"enabled":false}},
 *  "connect":{"tcp_servers":[],"websocket_urls":[],"retry_interval":5000},
 *  "listen":{"tcp":{"enabled":false,"interface_ip":"[::]","port":4040},
 *            "http":{"enabled":false,"interface_ip":"[::]","port":80,"websocket_sync":false}},
 *  "global":{"sync_group":0,"routing_hint":0}}
 * }</pre>
 * {@code retry_interval} is in milliseconds; {@code static_content_path}, {@code tls_key_path}
 * and {@code tls_certificate_path} are written only when set. When reading, absent keys keep
 * their defaults and unknown keys are rejected, so that a misspelt key is not silently ignored.
 *
 * <p>Not thread-safe: confine an instance to one thread or guard it. {@code equals} and
 * {@code hashCode} compare every setting.
 */
public final class TransportConfig {

    /** The interface address that means "all interfaces": {@code [::]}. */
    public static final String ALL_INTERFACES = "[::]";
    /** The default TCP listening port: 4040. */
    public static final int DEFAULT_TCP_PORT = 4040;
    /** The default HTTP listening port: 80. */
    public static final int DEFAULT_HTTP_PORT = 80;
    /** The default time between connection attempts to a server: 5 seconds. */
    public static final Duration DEFAULT_RETRY_INTERVAL = Duration.ofMillis(5000);
    /** The largest sync group and routing hint: 2<sup>32</sup> - 1 (they are unsigned 32-bit numbers). */
    public static final long MAX_UNSIGNED_32 = 0xFFFF_FFFFL;

    private static final String INVALID = "invalid transport config: ";

    private final PeerToPeer peerToPeer;
    private final Connect connect;
    private final Listen listen;
    private final Global global;

    /** Creates a configuration with the defaults described in the class documentation. */
    public TransportConfig() {
        this.peerToPeer = new PeerToPeer();
        this.connect = new Connect();
        this.listen = new Listen();
        this.global = new Global();
    }

    private TransportConfig(TransportConfig source) {
        this.peerToPeer = new PeerToPeer(source.peerToPeer);
        this.connect = new Connect(source.connect);
        this.listen = new Listen(source.listen);
        this.global = new Global(source.global);
    }

    /**
     * Returns a new configuration with every transport off; same as {@code new TransportConfig()}.
     *
     * @return a fresh configuration, never null
     */
    public static TransportConfig defaults() {
        return new TransportConfig();
    }

    /**
     * Returns an independent deep copy: changing one never affects the other.
     *
     * @return the copy, never null
     */
    public TransportConfig copy() {
        return new TransportConfig(this);
    }

    /** Returns the peer-to-peer section (live: changes apply to this configuration), never null. */
    public PeerToPeer peerToPeer() {
        return peerToPeer;
    }

    /** Returns the outgoing-connections section (live), never null. */
    public Connect connect() {
        return connect;
    }

    /** Returns the listening section (live), never null. */
    public Listen listen() {
        return listen;
    }

    /** Returns the global section (live), never null. */
    public Global global() {
        return global;
    }

    /**
     * Enables Bluetooth LE, LAN with mDNS and multicast discovery, AWDL and Wi-Fi Aware.
     *
     * @return this configuration, for chaining
     */
    public TransportConfig enableAllPeerToPeer() {
        peerToPeer.bluetoothLe.setEnabled(true);
        peerToPeer.lan.setEnabled(true).setMdnsEnabled(true).setMulticastEnabled(true);
        peerToPeer.awdl.setEnabled(true);
        peerToPeer.wifiAware.setEnabled(true);
        return this;
    }

    /**
     * Disables Bluetooth LE, LAN, AWDL and Wi-Fi Aware, so that this peer syncs only through
     * servers and listeners. LAN's discovery settings are kept for when LAN is enabled again.
     *
     * @return this configuration, for chaining
     */
    public TransportConfig disableAllPeerToPeer() {
        peerToPeer.bluetoothLe.setEnabled(false);
        peerToPeer.lan.setEnabled(false);
        peerToPeer.awdl.setEnabled(false);
        peerToPeer.wifiAware.setEnabled(false);
        return this;
    }

    /**
     * Adds a TCP server to connect to; see {@link Connect#addTcpServer(String)}.
     *
     * @param address {@code host:port}, for example {@code 192.168.1.100:4040} or {@code [fe80::1]:4040}
     * @return this configuration, for chaining
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the address if it is malformed
     * @throws NullPointerException if {@code address} is null
     */
    public TransportConfig addTcpServer(String address) {
        connect.addTcpServer(address);
        return this;
    }

    /**
     * Adds a WebSocket URL to connect to; see {@link Connect#addWebsocketUrl(String)}.
     *
     * @param url a {@code ws://} or {@code wss://} URL
     * @return this configuration, for chaining
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the URL if it is not a
     *         {@code ws://} or {@code wss://} URL with a host
     * @throws NullPointerException if {@code url} is null
     */
    public TransportConfig addWebsocketUrl(String url) {
        connect.addWebsocketUrl(url);
        return this;
    }

    /**
     * Replaces all WebSocket URLs; see {@link Connect#setWebsocketUrls(List)}.
     *
     * @param urls the {@code ws://} or {@code wss://} URLs, never null
     * @return this configuration, for chaining
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the first invalid URL (the
     *         list is then unchanged)
     * @throws NullPointerException if {@code urls} or an element is null
     */
    public TransportConfig setWebsocketUrls(List<String> urls) {
        connect.setWebsocketUrls(urls);
        return this;
    }

    /**
     * Enables accepting TCP connections on the given interface and port.
     *
     * @param interfaceIp the address of the interface to bind, {@link #ALL_INTERFACES} for all
     * @param port the port, 1 to 65535, or 0 to let the system choose a free one
     * @return this configuration, for chaining
     * @throws NullPointerException if {@code interfaceIp} is null
     */
    public TransportConfig enableTcpListen(String interfaceIp, int port) {
        listen.tcp.setEnabled(true).setInterfaceIp(interfaceIp).setPort(port);
        return this;
    }

    /**
     * Enables accepting HTTP connections on the given interface and port.
     *
     * @param interfaceIp the address of the interface to bind, {@link #ALL_INTERFACES} for all
     * @param port the port, 1 to 65535, or 0 to let the system choose a free one
     * @param websocketSync whether peers may sync over WebSocket connections to this listener
     * @return this configuration, for chaining
     * @throws NullPointerException if {@code interfaceIp} is null
     */
    public TransportConfig enableHttpListen(String interfaceIp, int port, boolean websocketSync) {
        listen.http.setEnabled(true).setInterfaceIp(interfaceIp).setPort(port).setWebsocketSync(websocketSync);
        return this;
    }

    /**
     * Makes the HTTP listener serve HTTPS (and {@code wss://}) with the given PEM files. Note
     * the order: key first, then certificate (the reference's {@code SetHTTPTLS} takes the
     * certificate first).
     *
     * @param keyPath the path of the PEM private key file, not empty
     * @param certificatePath the path of the PEM certificate file, not empty
     * @return this configuration, for chaining
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if a path is empty
     * @throws NullPointerException if an argument is null
     */
    public TransportConfig setHttpTls(String keyPath, String certificatePath) {
        Objects.requireNonNull(keyPath, "keyPath");
        Objects.requireNonNull(certificatePath, "certificatePath");
        if (keyPath.isEmpty() || certificatePath.isEmpty()) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, INVALID + "TLS key and certificate paths must not be empty");
        }
        listen.http.setTlsKeyPath(keyPath).setTlsCertificatePath(certificatePath);
        return this;
    }

    /**
     * Makes the HTTP listener serve the files of a directory.
     *
     * @param path the directory, or null or empty to serve no static content
     * @return this configuration, for chaining
     */
    public TransportConfig setStaticContentPath(String path) {
        listen.http.setStaticContentPath(path);
        return this;
    }

    /**
     * Sets the sync group: peers only sync with peers of the same group.
     *
     * @param group 0 (the default group) to {@link #MAX_UNSIGNED_32}; checked by {@link #validate()}
     * @return this configuration, for chaining
     */
    public TransportConfig setSyncGroup(long group) {
        global.setSyncGroup(group);
        return this;
    }

    /**
     * Checks every setting.
     *
     * <p>Rules: every TCP server is {@code host:port} with a port from 1 to 65535; every
     * WebSocket URL is {@code ws://} or {@code wss://} with a host; the retry interval is from
     * 1 ms to {@link Integer#MAX_VALUE} ms; listening ports are 0 to 65535 and interface
     * addresses are not blank; the TLS key and certificate are both set or both unset; an
     * enabled TCP listener and an enabled HTTP listener do not use the same non-zero port on
     * the same interface; sync group and routing hint are 0 to {@link #MAX_UNSIGNED_32}.
     *
     * @return this configuration, for chaining
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the first setting that
     *         breaks a rule, its value and the rule
     */
    public TransportConfig validate() {
        for (String server : connect.tcpServers) {
            checkTcpServer(server);
        }
        for (String url : connect.websocketUrls) {
            checkWebsocketUrl(url);
        }
        Duration retry = connect.retryInterval;
        if (retry.compareTo(Duration.ofMillis(1)) < 0 || retry.compareTo(Duration.ofMillis(Integer.MAX_VALUE)) > 0) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, INVALID + "connect.retry_interval " + retry
                    + " is not between 1 ms and " + Integer.MAX_VALUE + " ms");
        }
        checkListener("listen.tcp", listen.tcp.interfaceIp, listen.tcp.port);
        checkListener("listen.http", listen.http.interfaceIp, listen.http.port);
        if (listen.http.tlsKeyPath.isPresent() != listen.http.tlsCertificatePath.isPresent()) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, INVALID + "listen.http has a TLS "
                    + (listen.http.tlsKeyPath.isPresent() ? "key but no certificate" : "certificate but no key")
                    + "; set both with setHttpTls(keyPath, certificatePath)");
        }
        if (listen.tcp.enabled && listen.http.enabled && listen.tcp.port != 0 && listen.tcp.port == listen.http.port
                && listen.tcp.interfaceIp.equals(listen.http.interfaceIp)) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, INVALID + "listen.tcp and listen.http both use port "
                    + listen.tcp.port + " on " + listen.tcp.interfaceIp);
        }
        checkUnsigned32("global.sync_group", global.syncGroup);
        checkUnsigned32("global.routing_hint", global.routingHint);
        return this;
    }

    private static void checkListener(String section, String interfaceIp, int port) {
        if (interfaceIp.isBlank()) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, INVALID + section + ".interface_ip is blank; use "
                    + ALL_INTERFACES + " for all interfaces");
        }
        if (port < 0 || port > 65535) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, INVALID + section + ".port " + port
                    + " is not between 0 and 65535");
        }
    }

    private static void checkUnsigned32(String field, long value) {
        if (value < 0 || value > MAX_UNSIGNED_32) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, INVALID + field + " " + value
                    + " is not between 0 and " + MAX_UNSIGNED_32 + " (an unsigned 32-bit number)");
        }
    }

    /** Checks a {@code host:port} TCP server address; returns it unchanged. */
    static String checkTcpServer(String address) {
        Objects.requireNonNull(address, "address");
        int colon = address.lastIndexOf(':');
        if (colon <= 0 || colon == address.length() - 1) {
            throw badTcpServer(address, "it is not host:port");
        }
        String host = address.substring(0, colon);
        String portText = address.substring(colon + 1);
        if (portText.length() > 5 || !portText.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw badTcpServer(address, "the port \"" + portText + "\" is not a number");
        }
        int port = Integer.parseInt(portText);
        if (port < 1 || port > 65535) {
            throw badTcpServer(address, "the port " + port + " is not between 1 and 65535");
        }
        if (host.startsWith("[")) {
            String inner = host.endsWith("]") ? host.substring(1, host.length() - 1) : "";
            if (inner.isEmpty() || inner.indexOf(':') < 0
                    || !inner.chars().allMatch(c -> (c < 0x80 && Character.isLetterOrDigit(c)) || c == ':' || c == '.' || c == '%')) {
                throw badTcpServer(address, "\"" + host + "\" is not a bracketed IPv6 address");
            }
        } else if (host.indexOf(':') >= 0) {
            throw badTcpServer(address, "an IPv6 host must be written in brackets, as in [::1]:4040");
        } else if (host.length() > 253 || !host.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c)
                || c == '.' || c == '-' || c == '_'))) {
            throw badTcpServer(address, "\"" + host + "\" is not a host name or IPv4 address");
        }
        return address;
    }

    private static DittoException badTcpServer(String address, String why) {
        return new DittoException(ErrorCode.INVALID_CONFIG, INVALID + "TCP server address \"" + address + "\": "
                + why + " (expected host:port, for example 192.168.1.100:4040)");
    }

    /** Checks a WebSocket URL; returns it unchanged. */
    static String checkWebsocketUrl(String url) {
        Objects.requireNonNull(url, "url");
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw badWebsocketUrl(url, "it is not a valid URL (" + e.getReason() + " at index " + e.getIndex() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw badWebsocketUrl(url, "it must start with ws:// or wss://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw badWebsocketUrl(url, "it has no host");
        }
        if (uri.getPort() > 65535) {
            throw badWebsocketUrl(url, "the port " + uri.getPort() + " is not between 1 and 65535");
        }
        if (uri.getRawFragment() != null) {
            throw badWebsocketUrl(url, "a WebSocket URL must not have a fragment");
        }
        return url;
    }

    private static DittoException badWebsocketUrl(String url, String why) {
        return new DittoException(ErrorCode.INVALID_CONFIG, INVALID + "WebSocket URL \"" + url + "\": " + why);
    }

    /**
     * Returns the configuration as a JSON-model map in the reference's shape (see the class
     * documentation); package-private so the engine-facing SPI records can reuse it.
     */
    Map<String, Object> toMap() {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> p2p = new LinkedHashMap<>();
        p2p.put("bluetooth_le", Map.of("enabled", peerToPeer.bluetoothLe.enabled));
        Map<String, Object> lan = new LinkedHashMap<>();
        lan.put("enabled", peerToPeer.lan.enabled);
        lan.put("mdns_enabled", peerToPeer.lan.mdnsEnabled);
        lan.put("multicast_enabled", peerToPeer.lan.multicastEnabled);
        p2p.put("lan", lan);
        p2p.put("awdl", Map.of("enabled", peerToPeer.awdl.enabled));
        p2p.put("wifi_aware", Map.of("enabled", peerToPeer.wifiAware.enabled));
        root.put("peer_to_peer", p2p);
        Map<String, Object> connectMap = new LinkedHashMap<>();
        connectMap.put("tcp_servers", new ArrayList<Object>(connect.tcpServers));
        connectMap.put("websocket_urls", new ArrayList<Object>(connect.websocketUrls));
        connectMap.put("retry_interval", saturatedMillis(connect.retryInterval));
        root.put("connect", connectMap);
        Map<String, Object> tcp = new LinkedHashMap<>();
        tcp.put("enabled", listen.tcp.enabled);
        tcp.put("interface_ip", listen.tcp.interfaceIp);
        tcp.put("port", (long) listen.tcp.port);
        Map<String, Object> http = new LinkedHashMap<>();
        http.put("enabled", listen.http.enabled);
        http.put("interface_ip", listen.http.interfaceIp);
        http.put("port", (long) listen.http.port);
        http.put("websocket_sync", listen.http.websocketSync);
        listen.http.staticContentPath.ifPresent(v -> http.put("static_content_path", v));
        listen.http.tlsKeyPath.ifPresent(v -> http.put("tls_key_path", v));
        listen.http.tlsCertificatePath.ifPresent(v -> http.put("tls_certificate_path", v));
        Map<String, Object> listenMap = new LinkedHashMap<>();
        listenMap.put("tcp", tcp);
        listenMap.put("http", http);
        root.put("listen", listenMap);
        Map<String, Object> globalMap = new LinkedHashMap<>();
        globalMap.put("sync_group", global.syncGroup);
        globalMap.put("routing_hint", global.routingHint);
        root.put("global", globalMap);
        return root;
    }

    /**
     * Returns the configuration as compact JSON with the reference's field names (see the class
     * documentation). Writes whatever is set, valid or not.
     *
     * @return the JSON text, never null
     */
    public String toJson() {
        return Json.write(toMap());
    }

    /**
     * Returns the configuration as CBOR: a map with the same keys and values as
     * {@link #toJson()}, in the same order.
     *
     * @return the CBOR encoding, never null
     */
    public byte[] toCbor() {
        return Cbor.encode(toMap());
    }

    /**
     * Reads a configuration from the JSON {@link #toJson()} writes. Absent keys keep their
     * defaults; the result is {@linkplain #validate() validated}.
     *
     * @param json the JSON text, never null
     * @return a new configuration, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the text is not JSON, has an
     *         unknown key or a value of the wrong type, or breaks a validation rule
     * @throws NullPointerException if {@code json} is null
     */
    public static TransportConfig fromJson(String json) {
        Objects.requireNonNull(json, "json");
        Object value;
        try {
            value = Json.parse(json);
        } catch (DittoException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, INVALID + e.getMessage(), e);
        }
        return fromMap(value);
    }

    /**
     * Reads a configuration from the CBOR {@link #toCbor()} writes. Absent keys keep their
     * defaults; the result is {@linkplain #validate() validated}.
     *
     * @param cbor the CBOR encoding, never null
     * @return a new configuration, never null
     * @throws DittoException {@link ErrorCode#INVALID_CONFIG} if the bytes are not CBOR, have an
     *         unknown key or a value of the wrong type, or break a validation rule
     * @throws NullPointerException if {@code cbor} is null
     */
    public static TransportConfig fromCbor(byte[] cbor) {
        Objects.requireNonNull(cbor, "cbor");
        Object value;
        try {
            value = Cbor.decode(cbor);
        } catch (DittoException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, INVALID + e.getMessage(), e);
        }
        return fromMap(value);
    }

    static TransportConfig fromMap(Object value) {
        JsonFields root = JsonFields.root(value, "invalid transport config", ErrorCode.INVALID_CONFIG);
        TransportConfig config = new TransportConfig();

        JsonFields p2p = root.object("peer_to_peer");
        JsonFields ble = p2p.object("bluetooth_le");
        config.peerToPeer.bluetoothLe.enabled = ble.bool("enabled", false);
        ble.rejectUnknownKeys();
        JsonFields lan = p2p.object("lan");
        config.peerToPeer.lan.enabled = lan.bool("enabled", false);
        config.peerToPeer.lan.mdnsEnabled = lan.bool("mdns_enabled", true);
        config.peerToPeer.lan.multicastEnabled = lan.bool("multicast_enabled", true);
        lan.rejectUnknownKeys();
        JsonFields awdl = p2p.object("awdl");
        config.peerToPeer.awdl.enabled = awdl.bool("enabled", false);
        awdl.rejectUnknownKeys();
        JsonFields wifiAware = p2p.object("wifi_aware");
        config.peerToPeer.wifiAware.enabled = wifiAware.bool("enabled", false);
        wifiAware.rejectUnknownKeys();
        p2p.rejectUnknownKeys();

        JsonFields connect = root.object("connect");
        config.connect.tcpServers.addAll(connect.strings("tcp_servers"));
        config.connect.websocketUrls.addAll(connect.strings("websocket_urls"));
        long retry = connect.integer("retry_interval", DEFAULT_RETRY_INTERVAL.toMillis());
        config.connect.retryInterval = Duration.ofMillis(retry);
        connect.rejectUnknownKeys();

        JsonFields listen = root.object("listen");
        JsonFields tcp = listen.object("tcp");
        config.listen.tcp.enabled = tcp.bool("enabled", false);
        config.listen.tcp.interfaceIp = tcp.string("interface_ip", ALL_INTERFACES);
        config.listen.tcp.port = port(tcp, DEFAULT_TCP_PORT);
        tcp.rejectUnknownKeys();
        JsonFields http = listen.object("http");
        config.listen.http.enabled = http.bool("enabled", false);
        config.listen.http.interfaceIp = http.string("interface_ip", ALL_INTERFACES);
        config.listen.http.port = port(http, DEFAULT_HTTP_PORT);
        config.listen.http.websocketSync = http.bool("websocket_sync", false);
        config.listen.http.setStaticContentPath(http.string("static_content_path", null));
        config.listen.http.setTlsKeyPath(http.string("tls_key_path", null));
        config.listen.http.setTlsCertificatePath(http.string("tls_certificate_path", null));
        http.rejectUnknownKeys();
        listen.rejectUnknownKeys();

        JsonFields global = root.object("global");
        config.global.syncGroup = global.integer("sync_group", 0);
        config.global.routingHint = global.integer("routing_hint", 0);
        global.rejectUnknownKeys();
        root.rejectUnknownKeys();
        return config.validate();
    }

    private static long saturatedMillis(Duration d) {
        try {
            return d.toMillis();
        } catch (ArithmeticException e) {
            return d.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

    private static int port(JsonFields fields, int absent) {
        long port = fields.integer("port", absent);
        if (port < 0 || port > 65535) {
            throw fields.error("port", port + " is not between 0 and 65535");
        }
        return (int) port;
    }

    /** Returns whether {@code o} is a configuration with exactly the same settings. */
    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TransportConfig)) {
            return false;
        }
        TransportConfig other = (TransportConfig) o;
        return peerToPeer.equals(other.peerToPeer) && connect.equals(other.connect) && listen.equals(other.listen)
                && global.equals(other.global);
    }

    @Override
    public int hashCode() {
        return Objects.hash(peerToPeer, connect, listen, global);
    }

    /** Returns {@code "TransportConfig"} followed by {@link #toJson()}. */
    @Override
    public String toString() {
        return "TransportConfig" + toJson();
    }

    /** The peer-to-peer transports: Bluetooth LE, LAN, AWDL and Wi-Fi Aware. Not thread-safe. */
    public static final class PeerToPeer {
        private final BluetoothLe bluetoothLe;
        private final Lan lan;
        private final Awdl awdl;
        private final WifiAware wifiAware;

        PeerToPeer() {
            bluetoothLe = new BluetoothLe();
            lan = new Lan();
            awdl = new Awdl();
            wifiAware = new WifiAware();
        }

        PeerToPeer(PeerToPeer source) {
            bluetoothLe = new BluetoothLe();
            bluetoothLe.enabled = source.bluetoothLe.enabled;
            lan = new Lan();
            lan.enabled = source.lan.enabled;
            lan.mdnsEnabled = source.lan.mdnsEnabled;
            lan.multicastEnabled = source.lan.multicastEnabled;
            awdl = new Awdl();
            awdl.enabled = source.awdl.enabled;
            wifiAware = new WifiAware();
            wifiAware.enabled = source.wifiAware.enabled;
        }

        /** Returns the Bluetooth LE settings (live), never null. */
        public BluetoothLe bluetoothLe() {
            return bluetoothLe;
        }

        /** Returns the LAN settings (live), never null. */
        public Lan lan() {
            return lan;
        }

        /** Returns the AWDL settings (live), never null. */
        public Awdl awdl() {
            return awdl;
        }

        /** Returns the Wi-Fi Aware settings (live), never null. */
        public WifiAware wifiAware() {
            return wifiAware;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof PeerToPeer && bluetoothLe.equals(((PeerToPeer) o).bluetoothLe)
                    && lan.equals(((PeerToPeer) o).lan) && awdl.equals(((PeerToPeer) o).awdl)
                    && wifiAware.equals(((PeerToPeer) o).wifiAware);
        }

        @Override
        public int hashCode() {
            return Objects.hash(bluetoothLe, lan, awdl, wifiAware);
        }

        @Override
        public String toString() {
            return "PeerToPeer[bluetoothLe=" + bluetoothLe + ", lan=" + lan + ", awdl=" + awdl + ", wifiAware="
                    + wifiAware + "]";
        }
    }

    /**
     * Bluetooth Low Energy: short range (about 10 to 30 m), no pairing. Reported as unavailable
     * when the host has no usable adapter. Default off. Not thread-safe.
     */
    public static final class BluetoothLe {
        private boolean enabled;

        BluetoothLe() {
        }

        /** Returns whether the transport is on; default false. */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Turns the transport on or off.
         *
         * @param enabled true to turn it on
         * @return this section, for chaining
         */
        public BluetoothLe setEnabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BluetoothLe && enabled == ((BluetoothLe) o).enabled;
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(enabled);
        }

        @Override
        public String toString() {
            return "BluetoothLe[enabled=" + enabled + "]";
        }
    }

    /**
     * The local network over TCP/IP, with peers found by mDNS and/or multicast. Default off,
     * with both discovery mechanisms on. Not thread-safe.
     */
    public static final class Lan {
        private boolean enabled;
        private boolean mdnsEnabled = true;
        private boolean multicastEnabled = true;

        Lan() {
        }

        /** Returns whether the transport is on; default false. */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Turns the transport on or off.
         *
         * @param enabled true to turn it on
         * @return this section, for chaining
         */
        public Lan setEnabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Returns whether peers are found through mDNS (DNS-SD); default true. */
        public boolean isMdnsEnabled() {
            return mdnsEnabled;
        }

        /**
         * Turns mDNS discovery on or off.
         *
         * @param mdnsEnabled true to announce and browse with mDNS
         * @return this section, for chaining
         */
        public Lan setMdnsEnabled(boolean mdnsEnabled) {
            this.mdnsEnabled = mdnsEnabled;
            return this;
        }

        /** Returns whether peers are found through multicast announcements; default true. */
        public boolean isMulticastEnabled() {
            return multicastEnabled;
        }

        /**
         * Turns multicast discovery on or off.
         *
         * @param multicastEnabled true to announce and listen with multicast
         * @return this section, for chaining
         */
        public Lan setMulticastEnabled(boolean multicastEnabled) {
            this.multicastEnabled = multicastEnabled;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Lan)) {
                return false;
            }
            Lan other = (Lan) o;
            return enabled == other.enabled && mdnsEnabled == other.mdnsEnabled && multicastEnabled == other.multicastEnabled;
        }

        @Override
        public int hashCode() {
            return Objects.hash(enabled, mdnsEnabled, multicastEnabled);
        }

        @Override
        public String toString() {
            return "Lan[enabled=" + enabled + ", mdnsEnabled=" + mdnsEnabled + ", multicastEnabled=" + multicastEnabled + "]";
        }
    }

    /**
     * Apple Wireless Direct Link. A JVM host cannot run it; when enabled it is reported as
     * unavailable in diagnostics. Default off. Not thread-safe.
     */
    public static final class Awdl {
        private boolean enabled;

        Awdl() {
        }

        /** Returns whether the transport is on; default false. */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Turns the transport on or off.
         *
         * @param enabled true to turn it on
         * @return this section, for chaining
         */
        public Awdl setEnabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Awdl && enabled == ((Awdl) o).enabled;
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(enabled);
        }

        @Override
        public String toString() {
            return "Awdl[enabled=" + enabled + "]";
        }
    }

    /**
     * Wi-Fi Aware (Neighbor Awareness Networking). A JVM host cannot run it; when enabled it
     * is reported as unavailable in diagnostics. Default off. Not thread-safe.
     */
    public static final class WifiAware {
        private boolean enabled;

        WifiAware() {
        }

        /** Returns whether the transport is on; default false. */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Turns the transport on or off.
         *
         * @param enabled true to turn it on
         * @return this section, for chaining
         */
        public WifiAware setEnabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WifiAware && enabled == ((WifiAware) o).enabled;
        }

        @Override
        public int hashCode() {
            return Boolean.hashCode(enabled);
        }

        @Override
        public String toString() {
            return "WifiAware[enabled=" + enabled + "]";
        }
    }

    /**
     * Outgoing connections to servers: TCP servers ({@code host:port}) and WebSocket URLs,
     * each tried again after {@link #retryInterval()} while unreachable. Lists keep insertion
     * order and hold no duplicates. Not thread-safe.
     */
    public static final class Connect {
        private final List<String> tcpServers = new ArrayList<>();
        private final List<String> websocketUrls = new ArrayList<>();
        private Duration retryInterval = DEFAULT_RETRY_INTERVAL;

        Connect() {
        }

        Connect(Connect source) {
            tcpServers.addAll(source.tcpServers);
            websocketUrls.addAll(source.websocketUrls);
            retryInterval = source.retryInterval;
        }

        /** Returns the TCP servers to connect to, as an unmodifiable copy; empty by default. */
        public List<String> tcpServers() {
            return List.copyOf(tcpServers);
        }

        /**
         * Adds a TCP server to connect to; adding one already present changes nothing.
         *
         * @param address {@code host:port}: a host name, an IPv4 address or a bracketed IPv6
         *        address, and a port from 1 to 65535, for example {@code 192.168.1.100:4040}
         * @return this section, for chaining
         * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the address if it is malformed
         * @throws NullPointerException if {@code address} is null
         */
        public Connect addTcpServer(String address) {
            checkTcpServer(address);
            if (!tcpServers.contains(address)) {
                tcpServers.add(address);
            }
            return this;
        }

        /**
         * Replaces all TCP servers; duplicates are dropped.
         *
         * @param addresses {@code host:port} addresses as for {@link #addTcpServer(String)}, never null
         * @return this section, for chaining
         * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the first malformed
         *         address (the list is then unchanged)
         * @throws NullPointerException if {@code addresses} or an element is null
         */
        public Connect setTcpServers(List<String> addresses) {
            List<String> checked = new ArrayList<>();
            for (String address : addresses) {
                checkTcpServer(address);
                if (!checked.contains(address)) {
                    checked.add(address);
                }
            }
            tcpServers.clear();
            tcpServers.addAll(checked);
            return this;
        }

        /** Returns the WebSocket URLs to connect to, as an unmodifiable copy; empty by default. */
        public List<String> websocketUrls() {
            return List.copyOf(websocketUrls);
        }

        /**
         * Adds a WebSocket URL to connect to; adding one already present changes nothing.
         *
         * @param url a {@code ws://} or {@code wss://} URL with a host, for example
         *        {@code wss://sync.example.com}
         * @return this section, for chaining
         * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the URL if it has another
         *         scheme, no host, a fragment, or does not parse
         * @throws NullPointerException if {@code url} is null
         */
        public Connect addWebsocketUrl(String url) {
            checkWebsocketUrl(url);
            if (!websocketUrls.contains(url)) {
                websocketUrls.add(url);
            }
            return this;
        }

        /**
         * Replaces all WebSocket URLs; duplicates are dropped.
         *
         * @param urls URLs as for {@link #addWebsocketUrl(String)}, never null
         * @return this section, for chaining
         * @throws DittoException {@link ErrorCode#INVALID_CONFIG} naming the first invalid URL
         *         (the list is then unchanged)
         * @throws NullPointerException if {@code urls} or an element is null
         */
        public Connect setWebsocketUrls(List<String> urls) {
            List<String> checked = new ArrayList<>();
            for (String url : urls) {
                checkWebsocketUrl(url);
                if (!checked.contains(url)) {
                    checked.add(url);
                }
            }
            websocketUrls.clear();
            websocketUrls.addAll(checked);
            return this;
        }

        /** Returns the time between connection attempts to an unreachable server; default 5 s. */
        public Duration retryInterval() {
            return retryInterval;
        }

        /**
         * Sets the time between connection attempts, kept in whole milliseconds (a smaller
         * remainder is dropped).
         *
         * @param retryInterval 1 ms to {@link Integer#MAX_VALUE} ms; checked by {@link TransportConfig#validate()}
         * @return this section, for chaining
         * @throws NullPointerException if {@code retryInterval} is null
         */
        public Connect setRetryInterval(Duration retryInterval) {
            this.retryInterval = Objects.requireNonNull(retryInterval, "retryInterval").truncatedTo(ChronoUnit.MILLIS);
            return this;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Connect)) {
                return false;
            }
            Connect other = (Connect) o;
            return tcpServers.equals(other.tcpServers) && websocketUrls.equals(other.websocketUrls)
                    && retryInterval.equals(other.retryInterval);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tcpServers, websocketUrls, retryInterval);
        }

        @Override
        public String toString() {
            return "Connect[tcpServers=" + tcpServers + ", websocketUrls=" + websocketUrls + ", retryInterval="
                    + retryInterval + "]";
        }
    }

    /** Accepting incoming connections: a raw TCP listener and an HTTP/WebSocket listener. Not thread-safe. */
    public static final class Listen {
        private final ListenTcp tcp;
        private final ListenHttp http;

        Listen() {
            tcp = new ListenTcp();
            http = new ListenHttp();
        }

        Listen(Listen source) {
            tcp = new ListenTcp();
            tcp.enabled = source.tcp.enabled;
            tcp.interfaceIp = source.tcp.interfaceIp;
            tcp.port = source.tcp.port;
            http = new ListenHttp();
            http.enabled = source.http.enabled;
            http.interfaceIp = source.http.interfaceIp;
            http.port = source.http.port;
            http.websocketSync = source.http.websocketSync;
            http.staticContentPath = source.http.staticContentPath;
            http.tlsKeyPath = source.http.tlsKeyPath;
            http.tlsCertificatePath = source.http.tlsCertificatePath;
        }

        /** Returns the TCP listener settings (live), never null. */
        public ListenTcp tcp() {
            return tcp;
        }

        /** Returns the HTTP listener settings (live), never null. */
        public ListenHttp http() {
            return http;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Listen && tcp.equals(((Listen) o).tcp) && http.equals(((Listen) o).http);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tcp, http);
        }

        @Override
        public String toString() {
            return "Listen[tcp=" + tcp + ", http=" + http + "]";
        }
    }

    /**
     * The raw TCP listener other peers connect to. Default off, on {@code [::]} port 4040.
     * Not thread-safe.
     */
    public static final class ListenTcp {
        private boolean enabled;
        private String interfaceIp = ALL_INTERFACES;
        private int port = DEFAULT_TCP_PORT;

        ListenTcp() {
        }

        /** Returns whether the listener is on; default false. */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Turns the listener on or off.
         *
         * @param enabled true to listen
         * @return this section, for chaining
         */
        public ListenTcp setEnabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Returns the address of the interface to bind; default {@code [::]} (all interfaces). */
        public String interfaceIp() {
            return interfaceIp;
        }

        /**
         * Sets the interface to bind.
         *
         * @param interfaceIp an interface address, or {@link TransportConfig#ALL_INTERFACES}; not blank (checked by
         *        {@link TransportConfig#validate()})
         * @return this section, for chaining
         * @throws NullPointerException if {@code interfaceIp} is null
         */
        public ListenTcp setInterfaceIp(String interfaceIp) {
            this.interfaceIp = Objects.requireNonNull(interfaceIp, "interfaceIp");
            return this;
        }

        /** Returns the port to listen on; default 4040. */
        public int port() {
            return port;
        }

        /**
         * Sets the port to listen on.
         *
         * @param port 1 to 65535, or 0 to let the system choose; checked by {@link TransportConfig#validate()}
         * @return this section, for chaining
         */
        public ListenTcp setPort(int port) {
            this.port = port;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ListenTcp)) {
                return false;
            }
            ListenTcp other = (ListenTcp) o;
            return enabled == other.enabled && port == other.port && interfaceIp.equals(other.interfaceIp);
        }

        @Override
        public int hashCode() {
            return Objects.hash(enabled, interfaceIp, port);
        }

        @Override
        public String toString() {
            return "ListenTcp[enabled=" + enabled + ", interfaceIp=" + interfaceIp + ", port=" + port + "]";
        }
    }

    /**
     * The HTTP listener: WebSocket sync for peers and browsers, optional static files, optional
     * TLS. Default off, on {@code [::]} port 80, without WebSocket sync, static content or TLS.
     * Optional paths are unset when empty. Not thread-safe.
     */
    public static final class ListenHttp {
        private boolean enabled;
        private String interfaceIp = ALL_INTERFACES;
        private int port = DEFAULT_HTTP_PORT;
        private boolean websocketSync;
        private Optional<String> staticContentPath = Optional.empty();
        private Optional<String> tlsKeyPath = Optional.empty();
        private Optional<String> tlsCertificatePath = Optional.empty();

        ListenHttp() {
        }

        private static Optional<String> optional(String value) {
            return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
        }

        /** Returns whether the listener is on; default false. */
        public boolean isEnabled() {
            return enabled;
        }

        /**
         * Turns the listener on or off.
         *
         * @param enabled true to listen
         * @return this section, for chaining
         */
        public ListenHttp setEnabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** Returns the address of the interface to bind; default {@code [::]} (all interfaces). */
        public String interfaceIp() {
            return interfaceIp;
        }

        /**
         * Sets the interface to bind.
         *
         * @param interfaceIp an interface address, or {@link TransportConfig#ALL_INTERFACES}; not blank (checked by
         *        {@link TransportConfig#validate()})
         * @return this section, for chaining
         * @throws NullPointerException if {@code interfaceIp} is null
         */
        public ListenHttp setInterfaceIp(String interfaceIp) {
            this.interfaceIp = Objects.requireNonNull(interfaceIp, "interfaceIp");
            return this;
        }

        /** Returns the port to listen on; default 80. */
        public int port() {
            return port;
        }

        /**
         * Sets the port to listen on.
         *
         * @param port 1 to 65535, or 0 to let the system choose; checked by {@link TransportConfig#validate()}
         * @return this section, for chaining
         */
        public ListenHttp setPort(int port) {
            this.port = port;
            return this;
        }

        /** Returns whether peers may sync over WebSocket connections to this listener; default false. */
        public boolean isWebsocketSync() {
            return websocketSync;
        }

        /**
         * Allows or forbids WebSocket sync on this listener.
         *
         * @param websocketSync true to accept WebSocket sync connections
         * @return this section, for chaining
         */
        public ListenHttp setWebsocketSync(boolean websocketSync) {
            this.websocketSync = websocketSync;
            return this;
        }

        /** Returns the directory whose files are served, or empty (the default) to serve none. */
        public Optional<String> staticContentPath() {
            return staticContentPath;
        }

        /**
         * Sets the directory whose files are served.
         *
         * @param path the directory, or null or empty to serve none
         * @return this section, for chaining
         */
        public ListenHttp setStaticContentPath(String path) {
            this.staticContentPath = optional(path);
            return this;
        }

        /** Returns the path of the PEM private key for HTTPS, or empty (the default) for plain HTTP. */
        public Optional<String> tlsKeyPath() {
            return tlsKeyPath;
        }

        /**
         * Sets the PEM private key for HTTPS; set the certificate too.
         *
         * @param path the key file, or null or empty to unset
         * @return this section, for chaining
         */
        public ListenHttp setTlsKeyPath(String path) {
            this.tlsKeyPath = optional(path);
            return this;
        }

        /** Returns the path of the PEM certificate for HTTPS, or empty (the default) for plain HTTP. */
        public Optional<String> tlsCertificatePath() {
            return tlsCertificatePath;
        }

        /**
         * Sets the PEM certificate for HTTPS; set the key too.
         *
         * @param path the certificate file, or null or empty to unset
         * @return this section, for chaining
         */
        public ListenHttp setTlsCertificatePath(String path) {
            this.tlsCertificatePath = optional(path);
            return this;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof ListenHttp)) {
                return false;
            }
            ListenHttp other = (ListenHttp) o;
            return enabled == other.enabled && port == other.port && websocketSync == other.websocketSync
                    && interfaceIp.equals(other.interfaceIp) && staticContentPath.equals(other.staticContentPath)
                    && tlsKeyPath.equals(other.tlsKeyPath) && tlsCertificatePath.equals(other.tlsCertificatePath);
        }

        @Override
        public int hashCode() {
            return Objects.hash(enabled, interfaceIp, port, websocketSync, staticContentPath, tlsKeyPath, tlsCertificatePath);
        }

        @Override
        public String toString() {
            return "ListenHttp[enabled=" + enabled + ", interfaceIp=" + interfaceIp + ", port=" + port
                    + ", websocketSync=" + websocketSync + ", staticContentPath=" + staticContentPath.orElse("")
                    + ", tlsKeyPath=" + tlsKeyPath.orElse("") + ", tlsCertificatePath=" + tlsCertificatePath.orElse("") + "]";
        }
    }

    /**
     * Settings that affect every transport: the sync group (peers only sync within their group)
     * and a routing hint. Both are unsigned 32-bit numbers held in a {@code long}, default 0.
     * Not thread-safe.
     */
    public static final class Global {
        private long syncGroup;
        private long routingHint;

        Global() {
        }

        Global(Global source) {
            syncGroup = source.syncGroup;
            routingHint = source.routingHint;
        }

        /** Returns the sync group; 0 (the default) is the default group. */
        public long syncGroup() {
            return syncGroup;
        }

        /**
         * Sets the sync group: peers only sync with peers of the same group.
         *
         * @param syncGroup 0 to {@link TransportConfig#MAX_UNSIGNED_32}; checked by {@link TransportConfig#validate()}
         * @return this section, for chaining
         */
        public Global setSyncGroup(long syncGroup) {
            this.syncGroup = syncGroup;
            return this;
        }

        /** Returns the routing hint, a tie-breaker the mesh may use to prefer routes; default 0. */
        public long routingHint() {
            return routingHint;
        }

        /**
         * Sets the routing hint.
         *
         * @param routingHint 0 to {@link TransportConfig#MAX_UNSIGNED_32}; checked by {@link TransportConfig#validate()}
         * @return this section, for chaining
         */
        public Global setRoutingHint(long routingHint) {
            this.routingHint = routingHint;
            return this;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Global && syncGroup == ((Global) o).syncGroup && routingHint == ((Global) o).routingHint;
        }

        @Override
        public int hashCode() {
            return Objects.hash(syncGroup, routingHint);
        }

        @Override
        public String toString() {
            return "Global[syncGroup=" + syncGroup + ", routingHint=" + routingHint + "]";
        }
    }
}
