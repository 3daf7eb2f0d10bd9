package ditto.engine;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import org.tinylog.Logger;

import ditto.api.ConnectionType;
import ditto.api.TransportConfig;
import ditto.api.TransportDiagnostics;
import ditto.api.TransportSnapshot;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;
import ditto.api.spi.transport.TransportStatus;
import ditto.engine.plugin.PluginChange;
import ditto.engine.plugin.PluginKind;
import ditto.engine.plugin.PluginListener;
import ditto.engine.plugin.PluginRegistry;

/**
 * The transports of one Ditto instance: which run, created from which provider, and how they
 * follow the plug-in registry and the transport configuration.
 *
 * <p>While active (between {@link #start} and {@link #stop}), every registered transport provider
 * that the configuration enables (see {@link #isEnabled(String, TransportConfig)}) has one running
 * transport. When a provider goes away its transport is closed before the registry change returns
 * (in OSGi, before the unbind returns and the bundle stops); when a provider appears, or a standby
 * replaces one, its transport is created and started. Sync itself is not restarted.
 *
 * <p>Invariants, all guarded by {@link #lock}: {@link #running} is empty unless {@link #active};
 * each entry's transport was created by the entry's provider, which was the registry's active
 * provider for that id when it was created. Plug-in code is called under the lock (creating is
 * quick by contract; transports never call back into this class), and every call into it is
 * guarded: a failing transport is logged with its id and left out, never propagated.
 * <pre>
 *   registry change (DS thread) ─┐
 *   start/stop/reconfigure ──────┼─▶ [lock] ─▶ provider.create / transport.start|stop|close
 *   diagnostics ─────────────────┘
 * </pre>
 */
final class InstanceTransports implements PluginListener, AutoCloseable {

    /** One running transport and the provider that made it. */
    private record Running(TransportProvider provider, Transport transport) {
    }

    private final String owner;
    private final PluginRegistry registry;
    private final String databaseId;
    private final Supplier<String> deviceName;
    private final Object lock = new Object();

    private boolean active;
    private boolean closed;
    private TransportConfig config;
    private String localPeerKey;
    private TransportListener listener;
    private final SortedMap<String, Running> running = new TreeMap<>();

    /**
     * Creates the (inactive) transports of one instance and starts following the registry.
     *
     * @param owner how log lines name the instance (its persistence directory)
     * @param registry the plug-ins
     * @param databaseId the instance's database id, handed to transports
     * @param deviceName supplies the current device name when a transport is created
     */
    InstanceTransports(String owner, PluginRegistry registry, String databaseId, Supplier<String> deviceName) {
        this.owner = Objects.requireNonNull(owner, "owner");
        this.registry = Objects.requireNonNull(registry, "registry");
        this.databaseId = Objects.requireNonNull(databaseId, "databaseId");
        this.deviceName = Objects.requireNonNull(deviceName, "deviceName");
        registry.addListener(this);
    }

    /**
     * Tells whether the configuration enables the transport of a provider id. The built-in kinds
     * map to their sections: {@code lan} runs when LAN peer-to-peer or TCP listening is on or a
     * TCP server is configured; {@code ws} when a WebSocket URL is configured or HTTP listening is
     * on; {@code ble} with Bluetooth LE; {@code awdl} and {@code wifi-aware} with their switches.
     * A provider of any other id (a simulated network, a third-party transport) has no section,
     * so it runs whenever sync runs: deploying it is the switch.
     */
    static boolean isEnabled(String id, TransportConfig config) {
        return switch (id) {
            case "lan" -> config.peerToPeer().lan().isEnabled() || config.listen().tcp().isEnabled()
                    || !config.connect().tcpServers().isEmpty();
            case "ws" -> !config.connect().websocketUrls().isEmpty() || config.listen().http().isEnabled();
            case "ble" -> config.peerToPeer().bluetoothLe().isEnabled();
            case "awdl" -> config.peerToPeer().awdl().isEnabled();
            case "wifi-aware" -> config.peerToPeer().wifiAware().isEnabled();
            default -> true;
        };
    }

    /**
     * Starts every enabled transport whose provider is registered, and keeps following the
     * registry. Does nothing but update the configuration if already active.
     *
     * @param config the transport configuration (copied)
     * @param localPeerKey this peer's key string, handed to transports
     * @param listener the engine's side of every transport's links
     */
    void start(TransportConfig config, String localPeerKey, TransportListener listener) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(localPeerKey, "localPeerKey");
        Objects.requireNonNull(listener, "listener");
        synchronized (lock) {
            if (closed) {
                throw new IllegalStateException("transports of " + owner + " are closed");
            }
            if (active) {
                reconfigureLocked(config.copy());
                return;
            }
            this.config = config.copy();
            this.localPeerKey = localPeerKey;
            this.listener = listener;
            this.active = true;
            for (Map.Entry<String, TransportProvider> e : registry.transports().entrySet()) {
                if (isEnabled(e.getKey(), this.config)) {
                    createAndStart(e.getKey(), e.getValue());
                }
            }
        }
    }

    /** Stops and closes every running transport; afterwards none runs until the next {@link #start}. */
    void stop() {
        synchronized (lock) {
            if (!active) {
                return;
            }
            active = false;
            for (String id : new ArrayList<>(running.keySet())) {
                closeTransport(id, "sync stopped");
            }
        }
    }

    /** Tells whether the transports are started. */
    boolean isActive() {
        synchronized (lock) {
            return active;
        }
    }

    /**
     * Applies a new configuration: while active, running transports that stay enabled are
     * reconfigured, those no longer enabled are closed, and newly enabled ones are started. While
     * inactive nothing happens; the next {@link #start} brings its own configuration.
     *
     * @param config the new configuration (copied)
     */
    void reconfigure(TransportConfig config) {
        Objects.requireNonNull(config, "config");
        synchronized (lock) {
            if (active) {
                reconfigureLocked(config.copy());
            }
        }
    }

    /** Returns the ids of the running transports, sorted. */
    SortedSet<String> runningIds() {
        synchronized (lock) {
            return Collections.unmodifiableSortedSet(new TreeSet<>(running.keySet()));
        }
    }

    /**
     * Builds the diagnostics: one snapshot per running transport from its {@link TransportStatus}
     * (its links' remote descriptions listed by state: peer keys are only known once sessions
     * exist), plus an unavailable snapshot for each built-in kind the configuration enables that
     * does not run (no plug-in deployed, or it failed to start). Snapshots are named by connection
     * type, or by provider id where two would share a name. Empty while inactive.
     */
    TransportDiagnostics diagnostics() {
        List<Map.Entry<String, TransportStatus>> statuses = new ArrayList<>();
        List<Map.Entry<String, String>> missing = new ArrayList<>();
        synchronized (lock) {
            if (!active) {
                return new TransportDiagnostics(List.of());
            }
            for (Map.Entry<String, Running> e : running.entrySet()) {
                Optional<TransportStatus> status = status(e.getKey(), e.getValue().transport());
                status.ifPresent(s -> statuses.add(Map.entry(e.getKey(), s)));
            }
            for (String id : List.of("ble", "lan", "ws", "awdl", "wifi-aware")) {
                if (!running.containsKey(id) && isEnabled(id, config)) {
                    missing.add(Map.entry(id, registry.transport(id).isPresent()
                            ? "the '" + id + "' transport failed to start (see the log)"
                            : "no transport plug-in with id '" + id + "' is deployed"));
                }
            }
        }
        // Name each entry by its connection type; where two entries would share a name, by provider id.
        Map<String, Integer> nameCounts = new HashMap<>();
        for (Map.Entry<String, TransportStatus> e : statuses) {
            nameCounts.merge(e.getValue().connectionType().wireName(), 1, Integer::sum);
        }
        for (Map.Entry<String, String> e : missing) {
            nameCounts.merge(builtInName(e.getKey()), 1, Integer::sum);
        }
        List<TransportSnapshot> snapshots = new ArrayList<>();
        for (Map.Entry<String, TransportStatus> e : statuses) {
            TransportStatus status = e.getValue();
            String wireName = status.connectionType().wireName();
            String name = nameCounts.get(wireName) > 1 ? e.getKey() : wireName;
            if (!status.available()) {
                snapshots.add(TransportSnapshot.unavailable(name,
                        status.unavailableReason().orElse("unavailable on this host")));
                continue;
            }
            Map<TransportStatus.LinkState, List<String>> byState = new HashMap<>();
            for (TransportStatus.LinkStatus link : status.links()) {
                byState.computeIfAbsent(link.state(), s -> new ArrayList<>()).add(link.remoteDescription());
            }
            snapshots.add(new TransportSnapshot(name, byState.get(TransportStatus.LinkState.CONNECTING),
                    byState.get(TransportStatus.LinkState.CONNECTED),
                    byState.get(TransportStatus.LinkState.DISCONNECTING),
                    byState.get(TransportStatus.LinkState.DISCONNECTED)));
        }
        for (Map.Entry<String, String> e : missing) {
            String builtIn = builtInName(e.getKey());
            snapshots.add(TransportSnapshot.unavailable(nameCounts.get(builtIn) > 1 ? e.getKey() : builtIn,
                    e.getValue()));
        }
        return new TransportDiagnostics(snapshots);
    }

    /** Closes every transport and stops following the registry; idempotent. */
    @Override
    public void close() {
        registry.removeListener(this);
        synchronized (lock) {
            stop();
            closed = true;
        }
    }

    @Override
    public void onPluginChange(PluginChange change) {
        if (change.kind() != PluginKind.TRANSPORT) {
            return;
        }
        synchronized (lock) {
            Running current = running.get(change.id());
            if (current != null && change.previous(TransportProvider.class).orElse(null) == current.provider()) {
                closeTransport(change.id(), "its plug-in went away");
            }
            Optional<TransportProvider> appeared = change.current(TransportProvider.class);
            if (active && appeared.isPresent() && !running.containsKey(change.id())
                    && isEnabled(change.id(), config)) {
                createAndStart(change.id(), appeared.get());
            }
        }
    }

    // ---- internals (all called with lock held) -------------------------------------------------

    private void reconfigureLocked(TransportConfig newConfig) {
        this.config = newConfig;
        for (String id : new ArrayList<>(running.keySet())) {
            if (!isEnabled(id, newConfig)) {
                closeTransport(id, "the configuration no longer enables it");
                continue;
            }
            Transport transport = running.get(id).transport();
            try {
                transport.reconfigure(newConfig.copy());
            } catch (Throwable t) {
                Logger.error(t, "{}: transport '{}' rejected the new configuration; it keeps running with the old one",
                        owner, id);
            }
        }
        for (Map.Entry<String, TransportProvider> e : registry.transports().entrySet()) {
            if (!running.containsKey(e.getKey()) && isEnabled(e.getKey(), newConfig)) {
                createAndStart(e.getKey(), e.getValue());
            }
        }
    }

    private void createAndStart(String id, TransportProvider provider) {
        Transport transport;
        try {
            transport = provider.create(new TransportParameters(databaseId, localPeerKey, deviceName.get(),
                    config.copy(), listener));
        } catch (Throwable t) {
            Logger.error(t, "{}: transport plug-in '{}' ({}) could not create a transport", owner, id,
                    provider.getClass().getName());
            return;
        }
        if (transport == null) {
            Logger.error("{}: transport plug-in '{}' ({}) returned no transport", owner, id,
                    provider.getClass().getName());
            return;
        }
        try {
            transport.start();
        } catch (Throwable t) {
            Logger.error(t, "{}: transport '{}' failed to start", owner, id);
            closeQuietly(id, transport);
            return;
        }
        running.put(id, new Running(provider, transport));
        Logger.info("{}: transport '{}' started", owner, id);
    }

    private void closeTransport(String id, String why) {
        Running r = running.remove(id);
        if (r == null) {
            return;
        }
        closeQuietly(id, r.transport());
        Logger.info("{}: transport '{}' closed: {}", owner, id, why);
    }

    private void closeQuietly(String id, Transport transport) {
        try {
            transport.close();
        } catch (Throwable t) {
            Logger.error(t, "{}: transport '{}' failed while closing", owner, id);
        }
    }

    private Optional<TransportStatus> status(String id, Transport transport) {
        try {
            return Optional.ofNullable(transport.status());
        } catch (Throwable t) {
            Logger.error(t, "{}: transport '{}' failed to report its status", owner, id);
            return Optional.empty();
        }
    }

    /** The diagnostics name of a built-in kind that is not running. */
    private static String builtInName(String id) {
        return switch (id) {
            case "ble" -> ConnectionType.BLUETOOTH.wireName();
            case "lan" -> ConnectionType.ACCESS_POINT.wireName();
            case "ws" -> ConnectionType.WEB_SOCKET.wireName();
            case "awdl" -> "AWDL";
            case "wifi-aware" -> "WiFiAware";
            default -> id;
        };
    }
}
