package ditto.transport.lan;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Objects;

/**
 * The fixed parameters of LAN discovery: the multicast group and port, the announcement period
 * and the mDNS service type.
 *
 * <p>Role and invariants: immutable. {@link #DEFAULTS} are the documented values every peer of
 * this protocol uses; {@link ditto.api.TransportConfig} has no key for them because peers only find each
 * other when they agree on them. Tests use other values (a private port, a short period) to stay
 * apart from other tests and to run fast.
 *
 * @param multicastGroup the IPv4 multicast group announcements go to
 * @param multicastPort the UDP port announcements go to
 * @param announceInterval how often a multicast announcement is sent
 * @param mdnsServiceType the DNS-SD service type registered and browsed
 * @param rescanInterval how often the network interfaces are checked for changes
 */
record DiscoveryOptions(Inet4Address multicastGroup, int multicastPort, Duration announceInterval,
        String mdnsServiceType, Duration rescanInterval) {

    /** The multicast group, from the IPv4 organization-local scope (RFC 2365): 239.255.42.99. */
    static final String DEFAULT_GROUP = "239.255.42.99";
    /** The multicast UDP port: 4041, next to the default TCP port 4040. */
    static final int DEFAULT_PORT = 4041;
    /** The DNS-SD service type: {@code _ditto._tcp.local.}. */
    static final String DEFAULT_SERVICE_TYPE = "_ditto._tcp.local.";

    /** The values every peer uses: group 239.255.42.99, port 4041, every 2 s, {@code _ditto._tcp}, rescan every 10 s. */
    static final DiscoveryOptions DEFAULTS = new DiscoveryOptions(group(DEFAULT_GROUP), DEFAULT_PORT,
            Duration.ofSeconds(2), DEFAULT_SERVICE_TYPE, Duration.ofSeconds(10));

    DiscoveryOptions {
        Objects.requireNonNull(multicastGroup, "multicastGroup");
        Objects.requireNonNull(announceInterval, "announceInterval");
        Objects.requireNonNull(mdnsServiceType, "mdnsServiceType");
        Objects.requireNonNull(rescanInterval, "rescanInterval");
        if (!multicastGroup.isMulticastAddress()) {
            throw new IllegalArgumentException(multicastGroup + " is not a multicast address");
        }
        if (multicastPort < 1 || multicastPort > 65535) {
            throw new IllegalArgumentException("multicast port " + multicastPort + " is not between 1 and 65535");
        }
        if (announceInterval.toMillis() < 10 || rescanInterval.toMillis() < 10) {
            throw new IllegalArgumentException("intervals must be at least 10 ms");
        }
    }

    /**
     * How long a multicast peer stays known without announcing: three and a half periods, so
     * that it is lost after about three missed announcements.
     */
    Duration expiry() {
        return announceInterval.multipliedBy(7).dividedBy(2);
    }

    /** Parses an IPv4 group literal; used for constants and tests. */
    static Inet4Address group(String literal) {
        try {
            InetAddress address = InetAddress.getByName(literal);
            if (address instanceof Inet4Address v4) {
                return v4;
            }
            throw new IllegalArgumentException(literal + " is not an IPv4 address");
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal + " is not an IP address", e);
        }
    }
}
