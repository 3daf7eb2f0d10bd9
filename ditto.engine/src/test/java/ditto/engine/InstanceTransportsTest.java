package ditto.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ditto.api.ConnectionType;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.TransportDiagnostics;
import ditto.api.TransportSnapshot;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportStatus;
import ditto.api.spi.transport.TransportStatus.LinkState;
import ditto.api.spi.transport.TransportStatus.LinkStatus;
import ditto.engine.plugin.PluginRegistry;

class InstanceTransportsTest {

    /** The engine side of links; these tests open none. */
    static final TransportListener NO_LINKS = new TransportListener() {
        @Override
        public LinkHandler onLinkOpened(Link link) {
            throw new AssertionError("no link expected");
        }

        @Override
        public void onPeerDiscovered(DiscoveredPeer peer) {
        }

        @Override
        public void onPeerLost(String endpoint) {
        }
    };

    private final PluginRegistry registry = new PluginRegistry();
    private final InstanceTransports transports =
            new InstanceTransports("test-instance", registry, "db-id", () -> "my-device");
    private final FakeTransportProvider lan = new FakeTransportProvider("lan", ConnectionType.ACCESS_POINT);
    private final FakeTransportProvider ble = new FakeTransportProvider("ble", ConnectionType.BLUETOOTH);
    private final FakeTransportProvider sim = new FakeTransportProvider("sim", ConnectionType.ACCESS_POINT);

    @AfterEach
    void closeTransports() {
        transports.close();
    }

    private static TransportConfig lanOnly() {
        TransportConfig config = TransportConfig.defaults();
        config.peerToPeer().lan().setEnabled(true);
        return config;
    }

    @Test
    void startRunsOnlyTheTransportsTheConfigurationEnables() {
        // given LAN and BLE plug-ins, and a configuration enabling LAN only
        registry.addTransport(lan);
        registry.addTransport(ble);

        // when the transports start
        transports.start(lanOnly(), "peer-key", NO_LINKS);

        // then only LAN runs, created with the instance's identity and a copy of the configuration
        assertTrue(transports.isActive());
        assertEquals(Set.of("lan"), transports.runningIds());
        assertTrue(lan.only().running());
        assertTrue(ble.created.isEmpty());
        assertEquals("db-id", lan.only().parameters.databaseId());
        assertEquals("peer-key", lan.only().parameters.localPeerKey());
        assertEquals("my-device", lan.only().parameters.deviceName());
        assertEquals(lanOnly(), lan.only().parameters.config());
    }

    @Test
    void enablementFollowsTheConfigurationSections() {
        TransportConfig config = TransportConfig.defaults();
        assertFalse(InstanceTransports.isEnabled("lan", config));
        assertFalse(InstanceTransports.isEnabled("ws", config));
        assertFalse(InstanceTransports.isEnabled("ble", config));
        assertTrue(InstanceTransports.isEnabled("sim", config), "kinds without a section run with sync");

        config.enableTcpListen(TransportConfig.ALL_INTERFACES, 4040);
        assertTrue(InstanceTransports.isEnabled("lan", config));
        config.addWebsocketUrl("wss://example.org/sync");
        assertTrue(InstanceTransports.isEnabled("ws", config));
        config.peerToPeer().bluetoothLe().setEnabled(true);
        assertTrue(InstanceTransports.isEnabled("ble", config));
    }

    @Test
    void providerArrivingWhileActiveAndEnabledIsStartedAndLeavingClosesItsTransport() {
        // given running transports with LAN enabled but no LAN plug-in yet
        transports.start(lanOnly(), "peer-key", NO_LINKS);
        assertTrue(transports.runningIds().isEmpty());

        // when the LAN plug-in arrives
        registry.addTransport(lan);

        // then its transport is created and started at once
        assertTrue(lan.only().running());
        assertEquals(Set.of("lan"), transports.runningIds());

        // when it goes away, then its transport is closed before the removal returns
        registry.removeTransport(lan);
        assertTrue(lan.only().closed);
        assertTrue(transports.runningIds().isEmpty());
    }

    @Test
    void providerArrivingWhileInactiveOrDisabledIsNotStarted() {
        // given inactive transports
        registry.addTransport(lan);
        assertTrue(lan.created.isEmpty());

        // when started with LAN disabled and a BLE plug-in arrives (BLE disabled too)
        transports.start(TransportConfig.defaults(), "peer-key", NO_LINKS);
        registry.addTransport(ble);

        // then nothing runs
        assertTrue(lan.created.isEmpty());
        assertTrue(ble.created.isEmpty());
    }

    @Test
    void standbyTakingOverReplacesTheRunningTransport() {
        // given LAN running from a first plug-in, with a second LAN plug-in on standby
        FakeTransportProvider standby = new FakeTransportProvider("lan", ConnectionType.ACCESS_POINT);
        registry.addTransport(lan);
        registry.addTransport(standby);
        transports.start(lanOnly(), "peer-key", NO_LINKS);
        assertTrue(standby.created.isEmpty());

        // when the first goes away
        registry.removeTransport(lan);

        // then its transport is closed and the standby's transport runs instead
        assertTrue(lan.only().closed);
        assertTrue(standby.only().running());
        assertEquals(Set.of("lan"), transports.runningIds());
    }

    @Test
    void reconfigureStopsDisabledStartsEnabledAndUpdatesTheRest() {
        // given LAN and the section-less "sim" running
        registry.addTransport(lan);
        registry.addTransport(ble);
        registry.addTransport(sim);
        transports.start(lanOnly(), "peer-key", NO_LINKS);
        assertEquals(Set.of("lan", "sim"), transports.runningIds());

        // when the configuration turns LAN off and BLE on
        TransportConfig next = TransportConfig.defaults();
        next.peerToPeer().bluetoothLe().setEnabled(true);
        transports.reconfigure(next);

        // then LAN is closed, BLE started, and sim told of the new configuration
        assertTrue(lan.only().closed);
        assertTrue(ble.only().running());
        assertEquals(List.of(next), sim.only().reconfigured);
        assertEquals(Set.of("ble", "sim"), transports.runningIds());
    }

    @Test
    void aTransportThatFailsToCreateIsLeftOutAndTheOthersRun() {
        // given a LAN plug-in that refuses the configuration, and a working sim plug-in
        lan.failOnCreate = new DittoException(ErrorCode.INVALID_CONFIG, "lan: port in use");
        registry.addTransport(lan);
        registry.addTransport(sim);

        // when started
        transports.start(lanOnly(), "peer-key", NO_LINKS);

        // then sim runs, and diagnostics report LAN as failed (both named by id: they share a type)
        assertEquals(Set.of("sim"), transports.runningIds());
        TransportDiagnostics d = transports.diagnostics();
        assertTrue(d.transportByType("sim").orElseThrow().isAvailable());
        assertTrue(d.transportByType("lan").orElseThrow().unavailableReason().orElseThrow()
                .contains("failed to start"));
    }

    @Test
    void stopClosesEveryTransportAndDiagnosticsAreEmptyWhileInactive() {
        // given running transports
        registry.addTransport(lan);
        transports.start(lanOnly(), "peer-key", NO_LINKS);

        // when stopped
        transports.stop();

        // then nothing runs and diagnostics are empty
        assertFalse(transports.isActive());
        assertTrue(lan.only().closed);
        assertTrue(transports.runningIds().isEmpty());
        assertTrue(transports.diagnostics().transports().isEmpty());
    }

    @Test
    void diagnosticsListLinksByStateAndReportMissingOrUnavailableTransports() {
        // given LAN running with links in three states, BLE enabled but unavailable on this host,
        // and WebSocket enabled without a plug-in
        lan.links = List.of(new LinkStatus("1", "10.0.0.2:4040", LinkState.CONNECTED),
                new LinkStatus("2", "10.0.0.3:4040", LinkState.CONNECTED),
                new LinkStatus("3", "10.0.0.4:4040", LinkState.CONNECTING));
        ble.unavailableReason = "no Bluetooth adapter";
        registry.addTransport(lan);
        registry.addTransport(ble);
        TransportConfig config = lanOnly();
        config.peerToPeer().bluetoothLe().setEnabled(true);
        config.addWebsocketUrl("wss://example.org/sync");
        transports.start(config, "peer-key", NO_LINKS);

        // when diagnostics are taken
        TransportDiagnostics d = transports.diagnostics();

        // then LAN lists its peers by state, BLE and WebSocket are unavailable with reasons
        TransportSnapshot lanSnapshot = d.transportByType(ConnectionType.ACCESS_POINT).orElseThrow();
        assertEquals(List.of("10.0.0.2:4040", "10.0.0.3:4040"), lanSnapshot.connected());
        assertEquals(List.of("10.0.0.4:4040"), lanSnapshot.connecting());
        assertEquals(2, d.totalConnectedPeers());
        assertEquals(1, d.activeTransports());
        assertEquals(Optional.of("no Bluetooth adapter"),
                d.transportByType(ConnectionType.BLUETOOTH).orElseThrow().unavailableReason());
        assertTrue(d.transportByType(ConnectionType.WEB_SOCKET).orElseThrow().unavailableReason().orElseThrow()
                .contains("no transport plug-in with id 'ws'"));
        assertEquals(3, d.transports().size());
    }

    @Test
    void transportsSharingAConnectionTypeAreNamedByProviderId() {
        // given two running transports of the same connection type
        registry.addTransport(lan);
        registry.addTransport(sim);
        transports.start(lanOnly(), "peer-key", NO_LINKS);

        // when diagnostics are taken, then each is named by its id
        TransportDiagnostics d = transports.diagnostics();
        assertTrue(d.transportByType("lan").isPresent());
        assertTrue(d.transportByType("sim").isPresent());
    }

    @Test
    void closeStopsFollowingTheRegistry() {
        // given closed transports that had been running
        registry.addTransport(lan);
        transports.start(lanOnly(), "peer-key", NO_LINKS);
        transports.close();

        // when a new plug-in arrives
        registry.addTransport(sim);

        // then nothing is created for it, and the old transport is closed
        assertTrue(sim.created.isEmpty());
        assertTrue(lan.only().closed);
        assertSame(lan, registry.transport("lan").orElseThrow());
        assertEquals(List.of(), List.copyOf(transports.runningIds()));
    }

    @Test
    void statusIsTakenFromTheTransport() {
        // given a LAN transport that reports one disconnected link
        lan.links = List.of(new TransportStatus.LinkStatus("9", "10.0.0.9:4040", LinkState.DISCONNECTED));
        registry.addTransport(lan);
        transports.start(lanOnly(), "peer-key", NO_LINKS);

        // when diagnostics are taken, then the link is listed as disconnected and the transport is not active
        TransportSnapshot s = transports.diagnostics().transportByType(ConnectionType.ACCESS_POINT).orElseThrow();
        assertEquals(List.of("10.0.0.9:4040"), s.disconnected());
        assertFalse(s.isActive());
    }
}
