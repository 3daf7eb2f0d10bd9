package ditto.transport.lan;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import ditto.api.spi.transport.DiscoveredPeer;

/**
 * The peers discovery currently sees, by endpoint, with the mechanisms that see each one.
 *
 * <p>Role and invariants: not thread-safe; the transport guards it with its lock and publishes
 * the returned {@link Event}s to the engine after releasing that lock. An endpoint is reported
 * found when the first mechanism sees it (or again when its peer key or device name changes)
 * and lost when the last mechanism that saw it loses it, so enabling both mechanisms does not
 * double the events. At most {@link #MAX_PEERS} endpoints are held: announcements are
 * unauthenticated, and a flood of invented peers must not grow memory or connection threads
 * without bound.
 */
final class PeerDirectory {
    /** The most endpoints held at once; announcements of further ones are ignored. */
    static final int MAX_PEERS = 256;

    /** Something to tell the engine. */
    sealed interface Event permits Found, Lost {
    }

    /**
     * A peer found, or found again with changed details.
     *
     * @param peer what to report
     */
    record Found(DiscoveredPeer peer) implements Event {
    }

    /**
     * A peer no mechanism sees any more.
     *
     * @param endpoint its endpoint
     */
    record Lost(String endpoint) implements Event {
    }

    private static final class Entry {
        String peerKey;
        String deviceName;
        final Set<String> mechanisms = new LinkedHashSet<>();

        Entry(String peerKey, String deviceName) {
            this.peerKey = peerKey;
            this.deviceName = deviceName;
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /**
     * Records that a mechanism sees a peer at an endpoint.
     *
     * @param mechanism {@code "mdns"} or {@code "multicast"}
     * @param endpoint {@code host:port}
     * @param peerKey the announced peer key
     * @param deviceName the announced device name, possibly empty
     * @param events receives the events to publish
     * @return false if the endpoint is new and the directory is full, so it was ignored
     */
    boolean seen(String mechanism, String endpoint, String peerKey, String deviceName, List<Event> events) {
        Entry entry = entries.get(endpoint);
        if (entry == null) {
            if (entries.size() >= MAX_PEERS) {
                return false;
            }
            entry = new Entry(peerKey, deviceName);
            entry.mechanisms.add(mechanism);
            entries.put(endpoint, entry);
            events.add(found(endpoint, entry, mechanism));
            return true;
        }
        if (!entry.peerKey.equals(peerKey)) {
            // another peer took over the address: the old one is gone whatever saw it
            events.add(new Lost(endpoint));
            entry.peerKey = peerKey;
            entry.deviceName = deviceName;
            entry.mechanisms.clear();
            entry.mechanisms.add(mechanism);
            events.add(found(endpoint, entry, mechanism));
            return true;
        }
        entry.mechanisms.add(mechanism);
        if (!entry.deviceName.equals(deviceName)) {
            entry.deviceName = deviceName;
            events.add(found(endpoint, entry, mechanism));
        }
        return true;
    }

    /**
     * Records that a mechanism no longer sees an endpoint.
     *
     * @param mechanism the mechanism
     * @param endpoint the endpoint
     * @param events receives a {@link Lost} if no mechanism sees it any more
     */
    void gone(String mechanism, String endpoint, List<Event> events) {
        Entry entry = entries.get(endpoint);
        if (entry != null && entry.mechanisms.remove(mechanism) && entry.mechanisms.isEmpty()) {
            entries.remove(endpoint);
            events.add(new Lost(endpoint));
        }
    }

    /**
     * Records that a mechanism stopped: it sees nothing any more.
     *
     * @param mechanism the mechanism
     * @param events receives a {@link Lost} for each endpoint only it saw
     */
    void goneAll(String mechanism, List<Event> events) {
        for (Iterator<Map.Entry<String, Entry>> it = entries.entrySet().iterator(); it.hasNext();) {
            Map.Entry<String, Entry> e = it.next();
            if (e.getValue().mechanisms.remove(mechanism) && e.getValue().mechanisms.isEmpty()) {
                it.remove();
                events.add(new Lost(e.getKey()));
            }
        }
    }

    /**
     * Forgets every peer.
     *
     * @param events receives a {@link Lost} for each
     */
    void clear(List<Event> events) {
        for (String endpoint : entries.keySet()) {
            events.add(new Lost(endpoint));
        }
        entries.clear();
    }

    /** Returns how many endpoints are known. */
    int size() {
        return entries.size();
    }

    /**
     * Returns the peers this peer should connect to, by peer key, each with the endpoints it was
     * seen at, in discovery order.
     *
     * @param localPeerKey the local peer key
     * @param announcing whether this peer announces itself (has a listener and an announcement)
     * @return the targets, never null
     */
    Map<String, List<String>> connectTargets(String localPeerKey, boolean announcing) {
        Map<String, List<String>> targets = new LinkedHashMap<>();
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            String key = e.getValue().peerKey;
            if (shouldConnect(localPeerKey, key, announcing)) {
                targets.computeIfAbsent(key, k -> new ArrayList<>()).add(e.getKey());
            }
        }
        return targets;
    }

    /**
     * The tie-break: which of two peers that discover each other opens the link. The peer whose
     * key sorts first ({@link String#compareTo}) connects to the other, so that only one link is
     * made. A peer that does not announce itself cannot be found, so it connects to every peer it
     * discovers whatever the order; a peer never connects to its own key.
     *
     * @param localPeerKey the local key
     * @param remotePeerKey the discovered peer's key
     * @param announcing whether the local peer announces itself
     * @return true if the local peer should connect
     */
    static boolean shouldConnect(String localPeerKey, String remotePeerKey, boolean announcing) {
        int order = remotePeerKey.compareTo(localPeerKey);
        return order > 0 || (order < 0 && !announcing);
    }

    private static Found found(String endpoint, Entry entry, String mechanism) {
        return new Found(new DiscoveredPeer(endpoint, Optional.of(entry.peerKey),
                entry.deviceName.isEmpty() ? Optional.empty() : Optional.of(entry.deviceName), mechanism));
    }
}
