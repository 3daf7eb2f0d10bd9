package ditto.api;

import ditto.api.internal.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The state of every transport at one moment; from {@link Ditto#transportDiagnostics()}. Useful
 * to debug connectivity: which transports run, which cannot run on this host, and which peers
 * are in which connection state. Immutable.
 *
 * @param transports one snapshot per transport, in the engine's order; never null
 */
public record TransportDiagnostics(List<TransportSnapshot> transports) {

    /**
     * Copies the argument.
     *
     * @param transports the snapshots; null is taken as empty
     * @throws NullPointerException if an element is null
     */
    public TransportDiagnostics {
        transports = transports == null ? List.of() : List.copyOf(transports);
    }

    /** Returns the number of transports with at least one connected peer. */
    public int activeTransports() {
        int n = 0;
        for (TransportSnapshot t : transports) {
            if (t.isActive()) {
                n++;
            }
        }
        return n;
    }

    /**
     * Returns the number of connected peers summed over all transports; a peer connected
     * through two transports counts twice.
     */
    public int totalConnectedPeers() {
        int n = 0;
        for (TransportSnapshot t : transports) {
            n += t.connected().size();
        }
        return n;
    }

    /**
     * Returns the first snapshot whose {@link TransportSnapshot#connectionType()} equals the
     * argument exactly.
     *
     * @param connectionType the transport's name, for example {@code "AccessPoint"}
     * @return the snapshot, or empty if there is none
     * @throws NullPointerException if {@code connectionType} is null
     */
    public Optional<TransportSnapshot> transportByType(String connectionType) {
        Objects.requireNonNull(connectionType, "connectionType");
        for (TransportSnapshot t : transports) {
            if (t.connectionType().equals(connectionType)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /**
     * Returns the snapshot of the given connection type, looked up by its wire name.
     *
     * @param type the connection type, never null
     * @return the snapshot, or empty if there is none
     */
    public Optional<TransportSnapshot> transportByType(ConnectionType type) {
        return transportByType(type.wireName());
    }

    /**
     * Returns the diagnostics as JSON in the reference's shape:
     * {@code {"transports":[{"connection_type":"AccessPoint","connecting":[],"connected":["..."],
     * "disconnecting":[],"disconnected":[]}]}}, with {@code "unavailable_reason"} added to a
     * transport that cannot run.
     *
     * @return compact JSON text, never null
     */
    public String toJson() {
        List<Object> list = new ArrayList<>(transports.size());
        for (TransportSnapshot t : transports) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("connection_type", t.connectionType());
            map.put("connecting", t.connecting());
            map.put("connected", t.connected());
            map.put("disconnecting", t.disconnecting());
            map.put("disconnected", t.disconnected());
            t.unavailableReason().ifPresent(reason -> map.put("unavailable_reason", reason));
            list.add(map);
        }
        return Json.write(Map.of("transports", list));
    }
}
