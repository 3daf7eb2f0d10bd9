package ditto.transport.lan;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;

/**
 * The part of a {@link TransportConfig} the LAN transport uses, checked and parsed.
 *
 * <p>Role and invariants: immutable; every address in it has been parsed, so the transport
 * never meets a malformed one later. Interface addresses must be IP literals (no name lookup);
 * server host names are resolved at each connection attempt.
 *
 * @param listen whether to accept TCP connections
 * @param listenAddress the interface address to bind, or null for all interfaces
 * @param listenText the configured interface address, for messages
 * @param listenPort the port to bind, 0 for an ephemeral one
 * @param servers the TCP servers to connect to, in configuration order, without duplicates
 * @param retryInterval the pause between connection attempts to a server
 * @param mdns true if LAN peer-to-peer is on with mDNS discovery
 * @param multicast true if LAN peer-to-peer is on with UDP multicast discovery
 * @param syncGroup the sync group discovery is scoped to, 0 to 2<sup>32</sup> - 1
 */
record LanSettings(boolean listen, InetAddress listenAddress, String listenText, int listenPort,
        List<Server> servers, Duration retryInterval, boolean mdns, boolean multicast, long syncGroup) {

    LanSettings {
        servers = List.copyOf(servers);
    }

    /**
     * One TCP server to connect to.
     *
     * @param text the address as configured, such as {@code 192.168.1.7:4040}; the key that
     *        identifies the server across reconfigurations
     * @param host the host name or IP literal, without brackets
     * @param port the port
     */
    record Server(String text, String host, int port) {

        /** Resolves the host now; may block on a name lookup. */
        InetSocketAddress resolve() {
            return new InetSocketAddress(host, port);
        }
    }

    /**
     * Extracts and checks the LAN settings.
     *
     * @param config the transport configuration
     * @return the settings
     * @throws DittoException {@code INVALID_CONFIG} naming the bad setting
     */
    static LanSettings from(TransportConfig config) {
        TransportConfig.ListenTcp tcp = config.listen().tcp();
        int port = tcp.port();
        if (port < 0 || port > 65535) {
            throw invalid("listen.tcp.port " + port + " is not between 0 and 65535");
        }
        InetAddress bind = tcp.isEnabled() ? parseInterface(tcp.interfaceIp()) : null;
        List<Server> servers = new ArrayList<>();
        for (String text : config.connect().tcpServers()) {
            Server server = parseServer(text);
            if (servers.stream().noneMatch(s -> s.text().equals(text))) {
                servers.add(server);
            }
        }
        Duration retry = config.connect().retryInterval();
        if (retry.isNegative() || retry.isZero()) {
            throw invalid("connect.retry_interval " + retry + " is not positive");
        }
        TransportConfig.Lan lan = config.peerToPeer().lan();
        long group = config.global().syncGroup();
        if (group < 0 || group > TransportConfig.MAX_UNSIGNED_32) {
            throw invalid("global.sync_group " + group + " is not between 0 and " + TransportConfig.MAX_UNSIGNED_32);
        }
        return new LanSettings(tcp.isEnabled(), bind, tcp.interfaceIp(), port, servers, retry,
                lan.isEnabled() && lan.isMdnsEnabled(), lan.isEnabled() && lan.isMulticastEnabled(), group);
    }

    /** Tells whether any discovery mechanism is on. */
    boolean discovery() {
        return mdns || multicast;
    }

    /** Tells whether the listener of {@code other} differs from this one's. */
    boolean listenerDiffers(LanSettings other) {
        return listen != other.listen || listenPort != other.listenPort
                || (listen && !java.util.Objects.equals(listenAddress, other.listenAddress));
    }

    private static InetAddress parseInterface(String text) {
        String trimmed = text.trim();
        if (trimmed.equals(TransportConfig.ALL_INTERFACES) || trimmed.equals("::") || trimmed.equals("0.0.0.0")) {
            return null;
        }
        String literal = trimmed.startsWith("[") && trimmed.endsWith("]")
                ? trimmed.substring(1, trimmed.length() - 1) : trimmed;
        boolean looksLiteral = literal.contains(":") || literal.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
        if (!looksLiteral) {
            throw invalid("listen.tcp.interface_ip \"" + text + "\" is not an IP address (use " + TransportConfig.ALL_INTERFACES
                    + " for all interfaces)");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "lan transport: listen.tcp.interface_ip \"" + text
                    + "\" is not an IP address", e);
        }
    }

    private static Server parseServer(String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw invalid("TCP server \"" + text + "\" is not host:port");
        }
        String host = text.substring(0, colon);
        String portText = text.substring(colon + 1);
        int port;
        try {
            port = Integer.parseInt(portText);
        } catch (NumberFormatException e) {
            throw invalid("TCP server \"" + text + "\" has no numeric port");
        }
        if (port < 1 || port > 65535) {
            throw invalid("TCP server \"" + text + "\" has port " + port + ", not between 1 and 65535");
        }
        if (host.startsWith("[")) {
            if (!host.endsWith("]") || host.length() < 3) {
                throw invalid("TCP server \"" + text + "\" has an unterminated IPv6 address");
            }
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw invalid("TCP server \"" + text + "\": write an IPv6 address in brackets, as in [::1]:4040");
        }
        return new Server(text, host, port);
    }

    private static DittoException invalid(String why) {
        return new DittoException(ErrorCode.INVALID_CONFIG, "lan transport: " + why);
    }
}
