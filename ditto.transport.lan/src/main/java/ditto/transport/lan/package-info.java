/**
 * The LAN transport (provider id {@code lan}, connection type
 * {@link ditto.api.ConnectionType#ACCESS_POINT}): TCP links on the local network.
 *
 * <p><b>Configuration keys</b> (from {@link ditto.api.TransportConfig}):
 * <ul>
 *   <li>{@code listen.tcp.enabled}: accept TCP connections; default off.</li>
 *   <li>{@code listen.tcp.interface_ip}: the IP address of the interface to bind, or
 *       {@code [::]} (also {@code ::} and {@code 0.0.0.0}) for all interfaces; default
 *       {@code [::]}. Host names are refused: an interface is named by its address.</li>
 *   <li>{@code listen.tcp.port}: the port, default 4040; 0 binds an ephemeral port, which is
 *       logged at info and appears in the remote description of every accepted link
 *       ({@code "10.0.0.7:53422 (accepted on port 41234)"}). If the port cannot be bound the
 *       transport reports itself unavailable in its status with the reason and logs it once;
 *       outgoing connections still run.</li>
 *   <li>{@code connect.tcp_servers}: {@code host:port} addresses ({@code [v6]:port} for IPv6)
 *       to keep one outgoing link to each; host names are resolved at each attempt.</li>
 *   <li>{@code connect.retry_interval}: the pause after a failed attempt or a lost link before
 *       the next attempt to the same server; default 5 s.</li>
 *   <li>{@code peerToPeer.lan.enabled} with {@code mdns_enabled} or {@code multicast_enabled}:
 *       peer discovery by mDNS and UDP multicast belongs to a later version. This version does
 *       not discover peers; it says so once at info and never claims discovery in its status.</li>
 * </ul>
 * {@code reconfigure} rebinds the listener only when {@code listen.tcp} changed (links already
 * accepted stay open), stops the connectors of removed servers and closes their links, starts
 * connectors for new servers, and applies a new retry interval to the others.
 *
 * <p><b>Protocol.</b> Both ends of a new TCP connection first write a hello and read the
 * other's, within 10 seconds:
 * <pre>
 *   offset size  field
 *   0      4     magic "DLAN" (0x44 0x4C 0x41 0x4E)
 *   4      1     protocol version, 1
 *   5      2     length L of the database id in UTF-8 bytes, big-endian, 1..255
 *   7      L     the database id, UTF-8
 * </pre>
 * A connection whose hello has a wrong magic, version or length, or names another database, is
 * closed before any link exists, with a warning (repeats from the same remote at debug); both
 * sides see the other's hello, so both refuse. After the hellos, each direction is a sequence
 * of frames, each a 4-byte big-endian unsigned length N followed by N bytes, with
 * {@code 0 <= N <= 1 MiB} (the links' {@code maxFrameSize}). The receiver checks N against that
 * maximum before allocating anything; a larger N closes the link at once with a
 * {@code PROTOCOL} error, logged at error level and passed to the handler's {@code onClosed}.
 * An end of stream between frames is an orderly close; one inside a frame is a failure. There
 * is no keep-alive at this level: the engine's protocol above has its own.
 *
 * <p><b>Threads and queues.</b> Each link has one reader thread, which alone calls the engine's
 * handler (so frames arrive in order, one at a time, and {@code onClosed} comes once, last),
 * and one writer thread draining a send queue bounded at 8 MiB ({@code maxQueuedBytes}); a full
 * queue makes {@code send} fail with {@code TRANSPORT} rather than block. Blocking streams with
 * two threads per link were chosen over NIO: a LAN mesh links a handful to a few dozen peers, so
 * the thread cost is small, while per-link ordering, backpressure (a slow engine simply stops
 * the reader, and TCP flow control pushes back on the sender) and the close sequence stay
 * simple enough to audit. Besides these, the transport runs one acceptor thread, one thread per
 * configured server, a short-lived thread per incoming handshake (at most 64 at once; more are
 * refused) and one timer thread. {@code close} on a link lets the writer flush what is queued
 * and half-close, then waits for the remote's end of stream for at most 2 s before forcing the
 * socket shut; {@code stop} does this for every link and waits for them.
 */
package ditto.transport.lan;
