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
 *   <li>{@code listen.http.enabled}: run the HTTP listener (default off). It answers WebSocket
 *       sync upgrades, static files and the engine's endpoints, all on one port (see
 *       <b>HTTP listener</b> below).</li>
 *   <li>{@code listen.http.websocket_sync}: accept WebSocket sync connections on the listener;
 *       default off. Upgrades are accepted on any path. When off, upgrades are refused (HTTP 404,
 *       a warning once per remote host) and the listener still serves plain HTTP.</li>
 *   <li>{@code listen.http.interface_ip}: the IP address of the interface to bind, or {@code [::]}
 *       (also {@code ::} and {@code 0.0.0.0}) for all; default {@code [::]}.</li>
 *   <li>{@code listen.http.port}: default 80; 0 binds an ephemeral port, which is logged at info
 *       and appears in the remote description of accepted links. If the port cannot be bound the
 *       transport reports itself unavailable with the reason and logs it once.</li>
 *   <li>{@code listen.http.static_content_path}: a folder whose files the listener serves
 *       (below). It need not exist when configured (a warning once per folder if it is not a
 *       readable directory; requests get 404 until it is); a change by {@code reconfigure} takes
 *       effect in place, without reopening the listener.</li>
 *   <li>{@code listen.http.tls_key_path} and {@code tls_certificate_path} (both or neither): the
 *       listener serves {@code wss://} and {@code https://} with an {@code SSLContext} built
 *       with the JDK alone from a PEM unencrypted PKCS#8 private key
 *       ({@code -----BEGIN PRIVATE KEY-----}, RSA or EC; convert others with
 *       {@code openssl pkcs8 -topk8 -nocrypt}) and a PEM certificate chain, the server's
 *       certificate first. Files are read at each start and when a reconfigure changes the
 *       paths. If a file cannot be read or parsed, or the key does not fit the certificate, the
 *       listener stays off (rather than serve plain {@code ws://} and {@code http://} where TLS
 *       was asked for); the status says unavailable with a reason naming the file, logged at
 *       warning.</li>
 *   <li>System property {@code ditto.ws.trustedCertificates}: a PEM file of certificates that
 *       outgoing {@code wss://} connections trust instead of the JDK's default trust store, for
 *       self-signed servers and tests; read at each connection attempt. The server's host name
 *       must still match its certificate (IP SAN for IP literal URLs). An unusable file makes
 *       each attempt fail with a reason naming it.</li>
 * </ul>
 * {@code reconfigure} moves the listener only when its address, port, TLS files or
 * {@code websocket_sync} changed; Java-WebSocket cannot stop listening without closing what it
 * accepted, so links accepted on the old listener end (orderly, close code 1001). Connectors of
 * removed URLs stop and close their links, new URLs get connectors, others keep their links and
 * take the new retry interval.
 *
 * <p><b>HTTP listener.</b> One port, one request per connection. Each connection's first
 * request decides what it is:
 * <ul>
 *   <li>{@code GET} with an {@code Upgrade: websocket} header: a WebSocket upgrade, handled by
 *       Java-WebSocket exactly as a plain WebSocket server would (handshake below); only its
 *       head must, like every request's, be well-formed and at most 16 KiB.</li>
 *   <li>a path starting with {@code /_ditto/} (the engine's prefix,
 *       {@link ditto.api.spi.transport.HttpRequest#ENGINE_PATH_PREFIX}), methods {@code GET} and
 *       {@code POST}: handed to the engine as a {@link ditto.api.spi.transport.HttpRequest}
 *       (method, percent-decoded path without the query, headers with lower-case names, body,
 *       the client's {@code ip:port}) through
 *       {@link ditto.api.spi.transport.TransportListener#onHttpRequest}; its
 *       {@link ditto.api.spi.transport.HttpResponse} is sent with {@code Cache-Control: no-store}.
 *       The engine may block (a login that asks a webhook): it is called on one of 4 daemon
 *       threads of the listener, with at most 64 requests waiting for them; beyond that the
 *       answer is 503 with {@code Retry-After: 1}. An engine that throws or returns null gets
 *       500 (logged at error); a content type that cannot travel in a header is replaced by
 *       {@code application/octet-stream}. No file is ever served under {@code /_ditto/}.</li>
 *   <li>anything else, methods {@code GET} and {@code HEAD}: a file of
 *       {@code static_content_path} (404 without one). Another method gets 405 with
 *       {@code Allow: GET, HEAD} ({@code Allow: GET, POST} under {@code /_ditto/}).</li>
 * </ul>
 * Files: the path is percent-decoded once, as UTF-8. A path holding a NUL, a backslash, a
 * colon, a {@code .} or {@code ..} segment, or an encoded slash, backslash or NUL
 * ({@code %2f}, {@code %5c}, {@code %00}) gets 403; a segment starting with a dot (hidden
 * files such as {@code .env}) gets 404. Empty segments are ignored ({@code //etc/passwd} is
 * {@code etc/passwd} inside the folder). The file's real path, symbolic links followed, must lie
 * inside the folder's real path, else 404: a link inside the folder may point to another place
 * inside it, never outside. {@code /} and a directory path ending in {@code /} serve that
 * directory's {@code index.html}, or 404; a directory path without the slash is redirected there
 * (301); no directory is ever listed. Files above 32 MiB get 413; they are read whole into
 * memory, and a file is refused with 503 while the responses queued on open connections would
 * pass 64 MiB with it. The media type follows the extension: {@code html htm css js mjs json map
 * txt svg png jpg jpeg gif ico wasm} (text types with {@code charset=utf-8}), else
 * {@code application/octet-stream}.
 *
 * <p>Every answer carries {@code Content-Length} (but 204 and 304), {@code Connection: close}
 * and {@code X-Content-Type-Options: nosniff}, and the listener closes the connection once it is
 * written; a pipelined second request is ignored. Requests it refuses: 400 for a malformed
 * request line, header or path (also a bad percent-escape, invalid UTF-8, a NUL, a missing
 * {@code Host} in HTTP/1.1, bytes that are not HTTP at all such as a TLS hello on a plain port);
 * 505 for an HTTP version other than 1.0 and 1.1; 431 for a head above 16 KiB or above 100
 * headers; 411 for {@code Transfer-Encoding} (chunked bodies are not supported) and for
 * {@code POST} without {@code Content-Length}; 413 for a body above 64 KiB, answered as soon as
 * the header shows it. When the client may still be sending the refused request, the
 * connection stays open for up to 2 s after the answer (reading and discarding), so that the
 * client reads the answer rather than a reset; otherwise it closes at once. A client that shuts
 * down its sending side before the answer is written gets no answer. With TLS the same holds
 * over {@code https://}. Each request is logged at debug, refusals of paths with the reason.
 *
 * <p>How it is built on Java-WebSocket 1.6.0, whose server otherwise answers every request
 * without an upgrade with a fixed 404 and refuses methods other than {@code GET}: the only
 * draft, {@code HttpDraft} (a {@code Draft_6455}), parses each request itself and leaves
 * upgrades to the library; it hands a plain request through the library's handshake as an
 * accepted handshake that writes nothing, makes the connection's later WebSocket output empty
 * and its input discarded, and the server's {@code onOpen} passes the request to
 * {@code HttpService}, which queues the response on the connection and has the library flush
 * and close it. Such connections never become links. Over TLS each channel is wrapped so that
 * a response counts as written only when its encrypted bytes have left, and a peer's
 * close_notify ends the connection without entering the library's handshake code.
 * {@code HttpListenerTest} and {@code HttpDraftTest} pin this behaviour.
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
 * decoder threads (and, with TLS, one thread for handshake tasks), and per outgoing connection
 * a reading and a writing thread; this transport adds one thread per configured URL, a cached
 * pool that calls the engine's link handlers, and per listener up to 4 threads for plain HTTP
 * requests and one that ends lingering connections (both stop when idle for 30 s). The engine's
 * handler of a link is called by one pooled thread at a time, in order, with {@code onClosed}
 * once and last; when more than 4 MiB of a link's frames wait for the engine, the library thread
 * reading that link is held back. Sends go to the library's own queue; {@code send} refuses a
 * frame with {@code TRANSPORT} when that queue would exceed 8 MiB ({@code maxQueuedBytes}).
 */
package ditto.transport.ws;
