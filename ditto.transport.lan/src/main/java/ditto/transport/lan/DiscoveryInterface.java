package ditto.transport.lan;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InterfaceAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One IPv4 address of a network interface that discovery runs on.
 *
 * <p>Role and invariants: an immutable value, compared by name, index, address and prefix, so
 * that a rescan can tell whether the set of interfaces changed. {@link #select} holds the rule
 * for which interfaces discovery uses (see the package documentation).
 *
 * @param name the interface name, such as {@code eth0} or {@code lo}
 * @param index the interface index
 * @param address the IPv4 address on that interface
 * @param prefixLength the address's network prefix length in bits
 */
record DiscoveryInterface(String name, int index, Inet4Address address, int prefixLength) {

    /**
     * Returns the JDK's view of this interface, or null if it is gone.
     *
     * @throws SocketException if the interfaces cannot be listed
     */
    NetworkInterface networkInterface() throws SocketException {
        NetworkInterface byIndex = NetworkInterface.getByIndex(index);
        return byIndex != null && byIndex.getName().equals(name) ? byIndex : NetworkInterface.getByName(name);
    }

    /**
     * Tells whether {@code remote} is on this interface's IPv4 network (same prefix), that is
     * whether a datagram from it can have arrived on this link.
     *
     * @param remote an address, possibly null or IPv6 (never on link)
     * @return true if on link
     */
    boolean isOnLink(InetAddress remote) {
        if (!(remote instanceof Inet4Address)) {
            return false;
        }
        int mask = prefixLength == 0 ? 0 : -1 << (32 - prefixLength);
        return (toInt(remote) & mask) == (toInt(address) & mask);
    }

    /** Formats as {@code eth0/192.168.1.7}. */
    @Override
    public String toString() {
        return name + "/" + address.getHostAddress();
    }

    /**
     * Selects the interfaces discovery runs on.
     *
     * <ul>
     * <li>A specific IPv4 listen address: the interface holding it, with that address only
     * (so {@code 127.0.0.1} means the loopback interface).</li>
     * <li>All interfaces ({@code listenAddress} null or a wildcard address): every interface
     * that is up, supports multicast and is neither loopback, point-to-point nor virtual, with
     * each of its IPv4 addresses; if there is none, the loopback interface, so that peers on
     * the same host still find each other.</li>
     * <li>A specific IPv6 listen address: none, because discovery in this version is IPv4 only
     * and peers could not reach the announced port over IPv4.</li>
     * </ul>
     *
     * @param listenAddress the configured listen address, or null for all interfaces
     * @return the interfaces, possibly empty
     * @throws SocketException if the interfaces cannot be listed
     */
    static List<DiscoveryInterface> select(InetAddress listenAddress) throws SocketException {
        List<DiscoveryInterface> selected = new ArrayList<>();
        if (listenAddress != null && !listenAddress.isAnyLocalAddress()) {
            if (!(listenAddress instanceof Inet4Address)) {
                return selected;
            }
            NetworkInterface nif = NetworkInterface.getByInetAddress(listenAddress);
            if (nif != null && nif.isUp()) {
                for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
                    if (ia.getAddress().equals(listenAddress)) {
                        selected.add(of(nif, ia));
                    }
                }
            }
            return selected;
        }
        List<NetworkInterface> loopbacks = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nif.isUp()) {
                continue;
            }
            if (nif.isLoopback()) {
                loopbacks.add(nif);
                continue;
            }
            if (nif.isPointToPoint() || nif.isVirtual() || !nif.supportsMulticast()) {
                continue;
            }
            addIpv4(nif, selected);
        }
        if (selected.isEmpty()) {
            for (NetworkInterface nif : loopbacks) {
                addIpv4(nif, selected);
            }
        }
        return selected;
    }

    private static void addIpv4(NetworkInterface nif, List<DiscoveryInterface> out) {
        for (InterfaceAddress ia : nif.getInterfaceAddresses()) {
            if (ia.getAddress() instanceof Inet4Address) {
                out.add(of(nif, ia));
            }
        }
    }

    private static DiscoveryInterface of(NetworkInterface nif, InterfaceAddress ia) {
        return new DiscoveryInterface(nif.getName(), nif.getIndex(), (Inet4Address) ia.getAddress(),
                Math.max(0, Math.min(32, ia.getNetworkPrefixLength())));
    }

    private static int toInt(InetAddress v4) {
        byte[] b = v4.getAddress();
        return ((b[0] & 0xFF) << 24) | ((b[1] & 0xFF) << 16) | ((b[2] & 0xFF) << 8) | (b[3] & 0xFF);
    }
}
