/**
 * The WebSocket transport (provider id {@code ws}, connection type
 * {@link ditto.api.ConnectionType#WEB_SOCKET}), built on Java-WebSocket.
 *
 * <p><b>Configuration keys</b> (from {@link ditto.api.TransportConfig}):
 * <ul>
 *   <li>{@code connect.websocket_urls}: {@code ws://} or {@code wss://} URLs to keep one outgoing
 *       link to each. {@code wss://} uses the JDK's default trust store (see
 *       {@code ditto.ws.trustedCertificates} below) and verifies the server's host name. The URL's path and query are sent as they are.</li>
 *   <li>{@code connect.retry_interval}: the pause after a failed attempt or a lost link before
 *       the next attempt to the same URL; default 5 s.</li>
 *   <li>{@code listen.http.enabled} together with {@code listen.http.websocket_sync}: accept
 *       WebSocket sync connections; both default off. Upgrades are accepted on any path.</li>
 *   <li>{@code listen.http.interface_ip}: the IP address of the interface to bind, or {@code [::]}
 *       (also {@code ::} and {@code 0.0.0.0}) for all; default {@code [::]}.</li>
 *   <li>{@code listen.http.port}: default 80; 0 binds an ephemeral port, which is logged at info
 *       and appears in the remote description of accepted links. If the port cannot be bound the
 *       transport reports itself unavailable with the reason and logs it once.</li>
 *   <li>{@code listen.http.static_content_path}: not served. Java-WebSocket's server answers
 *       every request without a WebSocket upgrade with its own fixed 404 response and offers no
 *       hook to answer it otherwise, so when the path is set this is said once at info and
 *       nothing is served from it.</li>
 *   <li>{@code listen.http.tls_key_path} and {@code tls_certificate_path} (both or neither): the
 *       listener serves {@code wss://} with an {@code SSLContext} built with the JDK alone from a
 *       PEM unencrypted PKCS#8 private key ({@code -----BEGIN PRIVATE KEY-----}, RSA or EC; convert
 *       others with {@code openssl pkcs8 -topk8 -nocrypt}) and a PEM certificate chain, the
 *       server's certificate first. Files are read at each start and when a reconfigure changes
 *       the paths. If a file cannot be read or parsed, or the key does not fit the certificate,
 *       the listener stays off (rather than serve plain {@code ws://} where TLS was asked for);
 *       the status says unavailable with a reason naming the file, logged at warning.</li>
 *   <li>System property {@code ditto.ws.trustedCertificates}: a PEM file of certificates that
 *       outgoing {@code wss://} connections trust instead of the JDK's default trust store, for
 *       self-signed servers and tests; read at each connection attempt. The server's host name
 *       must still match its certificate (IP SAN for IP literal URLs). An unusable file makes
 *       each attempt fail with a reason naming it.</li>
 * </ul>
 * {@code reconfigure} moves the listener only when its settings changed; Java-WebSocket cannot
 * stop listening without closing what it accepted, so links accepted on the old listener end
 * (orderly, close code 1001). Connectors of removed URLs stop and close their links, new URLs
 * get connectors, others keep their links and take the new retry interval.
 *
 * <p><b>Handshake.</b> The client sends its database id in the upgrade request header
 * {@code Ditto-Database-Id}; the listener refuses an upgrade without it or with another database
 * (HTTP 404, before any link exists, with a warning; repeats from the same remote at debug) and
 * answers with its own database id in the same response header, which the client checks in
 * turn. So two instances of different databases never link, whichever side listens.
 *
 * <p><b>Framing.</b> Each Ditto frame (at most 1 MiB, the links' {@code maxFrameSize}) travels as
 * binary WebSocket messages of at most 64 KiB ({@code MessageFraming.MESSAGE_LIMIT}), each
 * starting with a one-byte marker:
 * <pre>
 *   0x00 WHOLE  the rest of the message is one whole frame (possibly empty)
 *   0x01 FIRST  a 4-byte big-endian unsigned total frame length follows, then the first part
 *   0x02 MORE   the next part of the frame begun by FIRST; the frame is complete when the
 *               declared total length has arrived
 * </pre>
 * A frame up to 65,535 bytes travels as one WHOLE message; a larger one as a FIRST message with
 * 65,531 bytes of it and MORE messages of up to 65,535 bytes. The messages of one frame are
 * queued contiguously. The receiver checks a FIRST's declared length against the maximum frame
 * size before allocating and refuses, by closing the link with WebSocket code 1002 (protocol
 * error), logging an error and reporting a {@code PROTOCOL} cause: a text message, an empty
 * message, an unknown marker, WHOLE or FIRST while a frame is incomplete, MORE without FIRST or
 * without payload, a declared length above 1 MiB or not above the FIRST's own payload, and a
 * MORE that overruns the declared length. Java-WebSocket itself refuses any message above 64 KiB
 * (close code 1009) before buffering it.
 *
 * <p><b>Threads and queues.</b> Java-WebSocket runs, per listener, one selector thread and two
 * decoder threads, and per outgoing connection a reading and a writing thread; this transport
 * adds one thread per configured URL and a cached pool that calls the engine. The engine's
 * handler of a link is called by one pooled thread at a time, in order, with {@code onClosed}
 * once and last; when more than 4 MiB of a link's frames wait for the engine, the library thread
 * reading that link is held back. Sends go to the library's own queue; {@code send} refuses a
 * frame with {@code TRANSPORT} when that queue would exceed 8 MiB ({@code maxQueuedBytes}).
 */
package ditto.transport.ws;
