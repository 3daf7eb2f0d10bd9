package ditto.transport.ws;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;

/**
 * The part of a {@link TransportConfig} the WebSocket transport uses, checked and parsed.
 *
 * <p>Role and invariants: immutable; every URL and address in it has been parsed, so the
 * transport never meets a malformed one later. Interface addresses must be IP literals.
 *
 * @param listen whether the HTTP listener is on ({@code listen.http.enabled})
 * @param websocketSync whether the listener accepts WebSocket sync connections
 *        ({@code listen.http.websocket_sync}); plain HTTP is answered either way
 * @param listenAddress the interface address to bind, or null for all interfaces
 * @param listenText the configured interface address, for messages
 * @param listenPort the port to bind, 0 for an ephemeral one
 * @param tlsKeyPath the listener's PEM private key file, or null for plain {@code ws://} and {@code http://}
 * @param tlsCertificatePath the listener's PEM certificate chain file, or null for plain {@code ws://} and {@code http://}
 * @param staticContentPath the folder whose files the listener serves, or null for none
 * @param urls the WebSocket URLs to connect to, in configuration order, without duplicates
 * @param retryInterval the pause between connection attempts to a URL
 */
record WsSettings(boolean listen, boolean websocketSync, InetAddress listenAddress, String listenText, int listenPort,
        String tlsKeyPath, String tlsCertificatePath, String staticContentPath, List<URI> urls, Duration retryInterval) {

    WsSettings {
        urls = List.copyOf(urls);
    }

    /**
     * Extracts and checks the WebSocket settings.
     *
     * @param config the transport configuration
     * @return the settings
     * @throws DittoException {@code INVALID_CONFIG} naming the bad setting
     */
    static WsSettings from(TransportConfig config) {
        TransportConfig.ListenHttp http = config.listen().http();
        int port = http.port();
        if (port < 0 || port > 65535) {
            throw invalid("listen.http.port " + port + " is not between 0 and 65535");
        }
        boolean listen = http.isEnabled();
        InetAddress bind = listen ? parseInterface(http.interfaceIp()) : null;
        List<URI> urls = new ArrayList<>();
        for (String text : config.connect().websocketUrls()) {
            URI uri = parseUrl(text);
            if (!urls.contains(uri)) {
                urls.add(uri);
            }
        }
        Duration retry = config.connect().retryInterval();
        if (retry.isNegative() || retry.isZero()) {
            throw invalid("connect.retry_interval " + retry + " is not positive");
        }
        String tlsKey = http.tlsKeyPath().filter(p -> !p.isEmpty()).orElse(null);
        String tlsCertificate = http.tlsCertificatePath().filter(p -> !p.isEmpty()).orElse(null);
        if ((tlsKey == null) != (tlsCertificate == null)) {
            throw invalid("listen.http needs both tls_key_path and tls_certificate_path, or neither");
        }
        String staticContent = http.staticContentPath().filter(p -> !p.isEmpty()).orElse(null);
        if (staticContent != null) {
            try {
                Path.of(staticContent);
            } catch (InvalidPathException e) {
                throw invalid("listen.http.static_content_path \"" + staticContent + "\" is not a valid path: " + e.getReason());
            }
        }
        return new WsSettings(listen, http.isWebsocketSync(), bind, http.interfaceIp(), port, tlsKey, tlsCertificate,
                staticContent, urls, retry);
    }

    /** Tells whether the listener serves {@code wss://} and {@code https://} (both TLS paths are set). */
    boolean tlsConfigured() {
        return tlsKeyPath != null;
    }

    /**
     * Tells whether the listener of {@code other} differs from this one's so that it must be
     * reopened; the static content folder is not part of it, it changes in place.
     */
    boolean listenerDiffers(WsSettings other) {
        return listen != other.listen || websocketSync != other.websocketSync || listenPort != other.listenPort
                || !Objects.equals(tlsKeyPath, other.tlsKeyPath)
                || !Objects.equals(tlsCertificatePath, other.tlsCertificatePath)
                || (listen && !Objects.equals(listenAddress, other.listenAddress));
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
            throw invalid("listen.http.interface_ip \"" + text + "\" is not an IP address (use "
                    + TransportConfig.ALL_INTERFACES + " for all interfaces)");
        }
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "ws transport: listen.http.interface_ip \"" + text
                    + "\" is not an IP address", e);
        }
    }

    private static URI parseUrl(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw invalid("WebSocket URL \"" + text + "\" does not parse: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw invalid("WebSocket URL \"" + text + "\" must start with ws:// or wss://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid("WebSocket URL \"" + text + "\" has no host");
        }
        if (uri.getPort() > 65535) {
            throw invalid("WebSocket URL \"" + text + "\" has port " + uri.getPort() + ", above 65535");
        }
        return uri;
    }

    private static DittoException invalid(String why) {
        return new DittoException(ErrorCode.INVALID_CONFIG, "ws transport: " + why);
    }
}
