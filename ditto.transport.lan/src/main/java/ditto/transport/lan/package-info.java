/**
 * The LAN transport (provider id {@code lan}, connection type
 * {@link ditto.api.ConnectionType#ACCESS_POINT}): TCP links on the local network, to configured
 * servers and to peers found by mDNS/DNS-SD and UDP multicast discovery.
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
 *       the next attempt to the same server or discovered peer; default 5 s.</li>
 *   <li>{@code peerToPeer.lan.enabled} with {@code mdns_enabled} and/or
 *       {@code multicast_enabled}: discover peers by mDNS/DNS-SD and/or UDP multicast (below);
 *       both default on, so enabling LAN is enough.</li>
 *   <li>{@code global.sync_group}: discovery only reports and connects to peers of the same
 *       database and the same sync group.</li>
 * </ul>
 * {@code reconfigure} rebinds the listener only when {@code listen.tcp} changed (links already
 * accepted stay open), stops the connectors of removed servers and closes their links, starts
 * connectors for new servers, and applies a new retry interval to the others. It restarts a
 * discovery mechanism whose settings changed (on/off, sync group, listener port or interface):
 * the peers it saw are reported lost and found again if still in scope.
 *
 * <p><b>Discovery.</b> Both mechanisms announce the same facts: a hash of the database id, the
 * sync group, this peer's key ({@code TransportParameters.localPeerKey}), its device name (cut to
 * 250 UTF-8 bytes) and the TCP port it listens on. The database id itself is never sent: in the
 * reference SDK it is an application secret, so announcements carry only its <i>database
 * hash</i>, the first 8 bytes of SHA-256 over {@code "ditto.lan.discovery/"} and the id's UTF-8
 * bytes. The hash keeps databases apart and does not reveal the id, but anyone who can guess
 * the id can compute it: it is a scope, not an access control (the engine's TLS and identity
 * checks are). A peer announces only while its TCP listener is bound, and hears its own
 * announcements back and ignores them. Discovery runs on IPv4 only, on these interfaces: with
 * {@code listen.tcp.interface_ip} set to an IPv4 address, the interface holding that address
 * (so {@code 127.0.0.1} keeps discovery on the loopback interface); otherwise every interface
 * that is up, supports multicast and is neither loopback, point-to-point nor virtual, or the
 * loopback interface if there is no such interface; with an IPv6 interface address, none (logged
 * once). Interfaces are checked again every 10 s and discovery follows their changes. A
 * discovered peer, reported to the engine as {@code DiscoveredPeer("ip:port", key, device name,
 * "mdns" or "multicast")}, is found when the first mechanism sees it and lost when the last one
 * stops seeing it. Of two peers that discover each other, the one whose key sorts first
 * ({@link java.lang.String#compareTo}) connects, retrying at {@code connect.retry_interval} like
 * a configured server; a peer that does not announce itself (no listener) connects to every peer
 * it discovers, since they cannot find it. Such connection attempts appear in the status as
 * {@code lan-discovered-<ip:port>} in state {@code CONNECTING} or {@code DISCONNECTED} until
 * their link opens. When discovery loses a peer, no new attempt is made, but an open link stays
 * open until it ends by itself. A peer that the other side connects to appears in the status only
 * once its link is open. At most 256 discovered peers are kept; announcements are not
 * authenticated, so a peer that lies about its key or database only costs a refused connection.
 * Discovery problems (no interface, a port or group that cannot be joined) are logged once at
 * warning and do not make the transport unavailable: its TCP side still works.
 *
 * <p><b>mDNS/DNS-SD</b> (jmdns): one jmdns instance per selected interface address registers
 * a service of type {@code _ditto._tcp.local.} named {@code ditto-<8 hex of the database
 * hash>-<16 hex of a hash of the peer key>}, on the listener's port, with these TXT properties,
 * and browses the same type:
 * <pre>
 *   v   format version, "1"
 *   db  the database hash, 16 lower-case hex digits
 *   g   the sync group, decimal
 *   pk  the peer key
 *   dn  the device name
 * </pre>
 * A resolved service with another version, a malformed property, another database hash or
 * sync group, or no IPv4 address on the interface's network is ignored. jmdns takes about 4 s
 * to announce a new service (it probes the names first), about 2 s to close (it sends goodbye
 * records), and reports a peer that said goodbye as removed only when its record reaper next
 * runs, so a stopped peer is lost by mDNS within about 10 s (by multicast at once); all jmdns
 * calls run on one worker thread per transport, never on the caller's, and {@code stop()} waits
 * at most 8 s for them.
 *
 * <p><b>UDP multicast.</b> Every 2 s, one datagram per selected interface (TTL 1) goes to
 * group {@code 239.255.42.99} port {@code 4041} (an organization-local group, RFC 2365; fixed,
 * because peers find each other only when they agree on it):
 * <pre>
 *   offset size  field
 *   0      4     magic "DLDS" (0x44 0x4C 0x44 0x53)
 *   4      1     format version, 1
 *   5      1     kind: 1 announcement, 2 goodbye (sent once when discovery stops)
 *   6      8     database hash, big-endian
 *   14     4     sync group, unsigned big-endian
 *   18     2     TCP port, big-endian, 1..65535
 *   20     1     length K of the peer key, 1..250
 *   21     K     peer key, UTF-8
 *   21+K   1     length D of the device name, 0..250
 *   22+K   D     device name, UTF-8
 * </pre>
 * The datagram ends right after the device name (at most 522 bytes). The receiver drops,
 * counts and logs at debug anything else: a wrong length, magic, version, kind or port, a
 * length that runs past the end or leaves trailing bytes, invalid UTF-8. It also ignores
 * datagrams of other databases or sync groups and datagrams whose source address is not on a
 * selected interface's network. The endpoint of a peer is the datagram's source address with
 * the announced port. A peer not heard for 7 s (about three missed announcements) is lost, and
 * at once when its goodbye arrives.
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
 * configured server and per discovered peer it connects to, a short-lived thread per incoming
 * handshake (at most 64 at once; more are refused), one timer thread (which also sends multicast
 * announcements), one multicast receive thread, and, once mDNS ran, one mDNS worker thread
 * besides jmdns's own threads. {@code close} on a link lets the writer flush what is queued
 * and half-close, then waits for the remote's end of stream for at most 2 s before forcing the
 * socket shut; {@code stop} does this for every link and waits for them.
 */
package ditto.transport.lan;
