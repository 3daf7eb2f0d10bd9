package ditto.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ditto.api.internal.Cbor;
import ditto.api.internal.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TransportConfigTest {

    private static DittoException invalidConfig(Runnable action) {
        DittoException e = assertThrows(DittoException.class, action::run);
        assertEquals(ErrorCode.INVALID_CONFIG, e.code(), e.getMessage());
        return e;
    }

    private static TransportConfig everythingSet() {
        TransportConfig config = TransportConfig.defaults()
                .enableAllPeerToPeer()
                .addTcpServer("192.168.1.100:4040")
                .addTcpServer("[fe80::1%eth0]:4041")
                .addWebsocketUrl("wss://sync.example.com/path?x=1")
                .enableTcpListen("0.0.0.0", 5050)
                .enableHttpListen("[::]", 8443, true)
                .setHttpTls("/etc/key.pem", "/etc/cert.pem")
                .setStaticContentPath("/var/www")
                .setSyncGroup(4_294_967_295L);
        config.peerToPeer().lan().setMulticastEnabled(false);
        config.connect().setRetryInterval(Duration.ofMillis(1234));
        config.global().setRoutingHint(7);
        return config;
    }

    @Test
    void defaultsHaveEveryTransportOff() {
        TransportConfig config = TransportConfig.defaults();

        assertFalse(config.peerToPeer().bluetoothLe().isEnabled());
        assertFalse(config.peerToPeer().lan().isEnabled());
        assertTrue(config.peerToPeer().lan().isMdnsEnabled());
        assertTrue(config.peerToPeer().lan().isMulticastEnabled());
        assertFalse(config.peerToPeer().awdl().isEnabled());
        assertFalse(config.peerToPeer().wifiAware().isEnabled());
        assertEquals(List.of(), config.connect().tcpServers());
        assertEquals(List.of(), config.connect().websocketUrls());
        assertEquals(Duration.ofMillis(5000), config.connect().retryInterval());
        assertFalse(config.listen().tcp().isEnabled());
        assertEquals("[::]", config.listen().tcp().interfaceIp());
        assertEquals(4040, config.listen().tcp().port());
        assertFalse(config.listen().http().isEnabled());
        assertEquals(80, config.listen().http().port());
        assertFalse(config.listen().http().isWebsocketSync());
        assertEquals(Optional.empty(), config.listen().http().staticContentPath());
        assertEquals(Optional.empty(), config.listen().http().tlsKeyPath());
        assertEquals(0, config.global().syncGroup());
        assertEquals(0, config.global().routingHint());
        assertEquals(new TransportConfig(), config);
        config.validate();
    }

    @Test
    void defaultsSerializeToTheReferenceShape() {
        assertEquals("{\"peer_to_peer\":{\"bluetooth_le\":{\"enabled\":false},"
                + "\"lan\":{\"enabled\":false,\"mdns_enabled\":true,\"multicast_enabled\":true},"
                + "\"awdl\":{\"enabled\":false},\"wifi_aware\":{\"enabled\":false}},"
                + "\"connect\":{\"tcp_servers\":[],\"websocket_urls\":[],\"retry_interval\":5000},"
                + "\"listen\":{\"tcp\":{\"enabled\":false,\"interface_ip\":\"[::]\",\"port\":4040},"
                + "\"http\":{\"enabled\":false,\"interface_ip\":\"[::]\",\"port\":80,\"websocket_sync\":false}},"
                + "\"global\":{\"sync_group\":0,\"routing_hint\":0}}", TransportConfig.defaults().toJson());
    }

    @Test
    void optionalHttpPathsAreWrittenOnlyWhenSet() {
        Map<String, Object> http = (Map<String, Object>) ((Map<?, ?>) Json.parseObject(everythingSet().toJson())
                .get("listen")).get("http");

        assertEquals("/var/www", http.get("static_content_path"));
        assertEquals("/etc/key.pem", http.get("tls_key_path"));
        assertEquals("/etc/cert.pem", http.get("tls_certificate_path"));
    }

    @Test
    void jsonRoundTripKeepsEverySetting() {
        TransportConfig config = everythingSet();

        TransportConfig back = TransportConfig.fromJson(config.toJson());

        assertEquals(config, back);
        assertEquals(config.hashCode(), back.hashCode());
        assertEquals(config.toJson(), back.toJson());
    }

    @Test
    void cborRoundTripKeepsEverySettingAndMatchesJson() {
        TransportConfig config = everythingSet();

        byte[] cbor = config.toCbor();

        assertEquals(config, TransportConfig.fromCbor(cbor));
        assertEquals(Json.parse(config.toJson()), Cbor.decode(cbor));
        assertArrayEquals(cbor, TransportConfig.fromCbor(cbor).toCbor());
    }

    @Test
    void fromJsonKeepsDefaultsForAbsentKeys() {
        TransportConfig config = TransportConfig.fromJson("{\"peer_to_peer\":{\"lan\":{\"enabled\":true}},"
                + "\"listen\":{\"tcp\":{\"enabled\":true}}}");

        TransportConfig expected = TransportConfig.defaults();
        expected.peerToPeer().lan().setEnabled(true);
        expected.listen().tcp().setEnabled(true);
        assertEquals(expected, config);
        assertEquals(TransportConfig.defaults(), TransportConfig.fromJson("{}"));
        assertEquals(TransportConfig.defaults(), TransportConfig.fromJson("{\"connect\":{\"tcp_servers\":null}}"));
    }

    @Test
    void fromJsonRejectsUnknownKeysWrongTypesAndBadJson() {
        assertEquals("invalid transport config: unknown key peer_to_peer.lan.mdns",
                invalidConfig(() -> TransportConfig.fromJson("{\"peer_to_peer\":{\"lan\":{\"mdns\":true}}}")).getMessage());
        assertEquals("invalid transport config: unknown key extra",
                invalidConfig(() -> TransportConfig.fromJson("{\"extra\":1}")).getMessage());
        assertEquals("invalid transport config: listen.tcp.port must be an integer, not a string",
                invalidConfig(() -> TransportConfig.fromJson("{\"listen\":{\"tcp\":{\"port\":\"80\"}}}")).getMessage());
        assertEquals("invalid transport config: connect.tcp_servers[1] must be a string, not a number",
                invalidConfig(() -> TransportConfig.fromJson("{\"connect\":{\"tcp_servers\":[\"a:1\",2]}}")).getMessage());
        assertEquals("invalid transport config: listen.http.port 70000 is not between 0 and 65535",
                invalidConfig(() -> TransportConfig.fromJson("{\"listen\":{\"http\":{\"port\":70000}}}")).getMessage());
        assertTrue(invalidConfig(() -> TransportConfig.fromJson("{\"global\":")).getMessage()
                .startsWith("invalid transport config: invalid JSON: unexpected end of input"));
        invalidConfig(() -> TransportConfig.fromJson("[]"));
        invalidConfig(() -> TransportConfig.fromJson("{\"peer_to_peer\":true}"));
        invalidConfig(() -> TransportConfig.fromCbor(new byte[] {(byte) 0xFF}));
        invalidConfig(() -> TransportConfig.fromCbor(Cbor.encode(Map.of("global", Map.of("sync_group", -1L)))));
    }

    @Test
    void fromJsonValidatesAddresses() {
        DittoException e = invalidConfig(() -> TransportConfig.fromJson(
                "{\"connect\":{\"websocket_urls\":[\"http://example.com\"]}}"));

        assertTrue(e.getMessage().contains("\"http://example.com\""), e.getMessage());
    }

    @Test
    void copyIsDeepAndIndependent() {
        TransportConfig original = everythingSet();
        TransportConfig copy = original.copy();

        copy.peerToPeer().lan().setEnabled(false);
        copy.addTcpServer("other:1");
        copy.listen().http().setTlsKeyPath(null);
        copy.global().setSyncGroup(1);

        assertEquals(everythingSet(), original);
        assertNotEquals(original, copy);
        assertEquals(original, original.copy());
    }

    @Test
    void enableAndDisableAllPeerToPeer() {
        TransportConfig config = TransportConfig.defaults();
        config.peerToPeer().lan().setMdnsEnabled(false);

        config.enableAllPeerToPeer();

        assertTrue(config.peerToPeer().bluetoothLe().isEnabled());
        assertTrue(config.peerToPeer().lan().isEnabled());
        assertTrue(config.peerToPeer().lan().isMdnsEnabled());
        assertTrue(config.peerToPeer().lan().isMulticastEnabled());
        assertTrue(config.peerToPeer().awdl().isEnabled());
        assertTrue(config.peerToPeer().wifiAware().isEnabled());

        config.disableAllPeerToPeer();

        assertFalse(config.peerToPeer().bluetoothLe().isEnabled());
        assertFalse(config.peerToPeer().lan().isEnabled());
        assertFalse(config.peerToPeer().awdl().isEnabled());
        assertFalse(config.peerToPeer().wifiAware().isEnabled());
        assertTrue(config.peerToPeer().lan().isMdnsEnabled());
    }

    @Test
    void listenHelpersSetEverySetting() {
        TransportConfig config = TransportConfig.defaults()
                .enableTcpListen("192.168.1.100", 4041)
                .enableHttpListen("[::]", 8080, true)
                .setStaticContentPath("/srv")
                .setHttpTls("key.pem", "cert.pem");

        assertTrue(config.listen().tcp().isEnabled());
        assertEquals("192.168.1.100", config.listen().tcp().interfaceIp());
        assertEquals(4041, config.listen().tcp().port());
        assertTrue(config.listen().http().isEnabled());
        assertEquals(8080, config.listen().http().port());
        assertTrue(config.listen().http().isWebsocketSync());
        assertEquals(Optional.of("/srv"), config.listen().http().staticContentPath());
        assertEquals(Optional.of("key.pem"), config.listen().http().tlsKeyPath());
        assertEquals(Optional.of("cert.pem"), config.listen().http().tlsCertificatePath());
        config.setStaticContentPath("");
        assertEquals(Optional.empty(), config.listen().http().staticContentPath());
        invalidConfig(() -> config.setHttpTls("", "cert.pem"));
    }

    @Test
    void addTcpServerValidatesAndIgnoresDuplicates() {
        TransportConfig config = TransportConfig.defaults()
                .addTcpServer("backup.local:4040")
                .addTcpServer("10.0.0.1:1")
                .addTcpServer("[::1]:65535")
                .addTcpServer("backup.local:4040");

        assertEquals(List.of("backup.local:4040", "10.0.0.1:1", "[::1]:65535"), config.connect().tcpServers());
        String[] bad = {"", "host", "host:", ":4040", "host:0", "host:65536", "host:port", "::1:4040",
            "[::1:4040", "[]:4040", "exa mple:4040", "a/b:4040", "host:123456"};
        for (String address : bad) {
            DittoException e = invalidConfig(() -> config.addTcpServer(address));
            assertTrue(e.getMessage().contains("\"" + address + "\""), e.getMessage());
        }
        assertEquals(3, config.connect().tcpServers().size());
    }

    @Test
    void websocketUrlsMustBeWsOrWss() {
        TransportConfig config = TransportConfig.defaults()
                .addWebsocketUrl("ws://localhost:8080")
                .addWebsocketUrl("WSS://Sync.Example.com/ditto");

        assertEquals(List.of("ws://localhost:8080", "WSS://Sync.Example.com/ditto"), config.connect().websocketUrls());
        assertEquals("invalid transport config: WebSocket URL \"https://example.com\": it must start with ws:// or wss://",
                invalidConfig(() -> config.addWebsocketUrl("https://example.com")).getMessage());
        String[] bad = {"example.com", "wss:/example.com", "wss://", "ws://host:99999", "ws://host/#frag", "ws://ho st"};
        for (String url : bad) {
            DittoException e = invalidConfig(() -> config.addWebsocketUrl(url));
            assertTrue(e.getMessage().contains("\"" + url + "\""), e.getMessage());
        }
    }

    @Test
    void setWebsocketUrlsReplacesAllOrNothing() {
        TransportConfig config = TransportConfig.defaults().addWebsocketUrl("wss://old");

        config.setWebsocketUrls(List.of("wss://a", "wss://b", "wss://a"));
        assertEquals(List.of("wss://a", "wss://b"), config.connect().websocketUrls());

        invalidConfig(() -> config.setWebsocketUrls(List.of("wss://c", "ftp://d")));
        assertEquals(List.of("wss://a", "wss://b"), config.connect().websocketUrls());
        config.connect().setTcpServers(List.of("h:1"));
        invalidConfig(() -> config.connect().setTcpServers(List.of("h:2", "bad")));
        assertEquals(List.of("h:1"), config.connect().tcpServers());
    }

    @Test
    void listAccessorsReturnUnmodifiableSnapshots() {
        TransportConfig config = TransportConfig.defaults().addTcpServer("h:1");
        List<String> servers = config.connect().tcpServers();

        config.addTcpServer("h:2");

        assertEquals(List.of("h:1"), servers);
        assertThrows(UnsupportedOperationException.class, () -> servers.add("x"));
    }

    @Test
    void validateNamesTheBrokenSetting() {
        assertValidationFails(c -> c.listen().tcp().setPort(70000),
                "invalid transport config: listen.tcp.port 70000 is not between 0 and 65535");
        assertValidationFails(c -> c.listen().http().setPort(-1),
                "invalid transport config: listen.http.port -1 is not between 0 and 65535");
        assertValidationFails(c -> c.listen().tcp().setInterfaceIp(" "),
                "invalid transport config: listen.tcp.interface_ip is blank; use [::] for all interfaces");
        assertValidationFails(c -> c.setSyncGroup(4_294_967_296L),
                "invalid transport config: global.sync_group 4294967296 is not between 0 and 4294967295 (an unsigned 32-bit number)");
        assertValidationFails(c -> c.global().setRoutingHint(-1),
                "invalid transport config: global.routing_hint -1 is not between 0 and 4294967295 (an unsigned 32-bit number)");
        assertValidationFails(c -> c.connect().setRetryInterval(Duration.ZERO),
                "invalid transport config: connect.retry_interval PT0S is not between 1 ms and 2147483647 ms");
        assertValidationFails(c -> c.connect().setRetryInterval(Duration.ofNanos(999_999)),
                "invalid transport config: connect.retry_interval PT0S is not between 1 ms and 2147483647 ms");
        assertValidationFails(c -> c.connect().setRetryInterval(Duration.ofSeconds(-5)),
                "invalid transport config: connect.retry_interval PT-5S is not between 1 ms and 2147483647 ms");
        assertValidationFails(c -> c.connect().setRetryInterval(Duration.ofDays(365)),
                "invalid transport config: connect.retry_interval PT8760H is not between 1 ms and 2147483647 ms");
        assertValidationFails(c -> c.listen().http().setTlsKeyPath("k.pem"),
                "invalid transport config: listen.http has a TLS key but no certificate; set both with setHttpTls(keyPath, certificatePath)");
        assertValidationFails(c -> c.enableTcpListen("[::]", 8080).enableHttpListen("[::]", 8080, true),
                "invalid transport config: listen.tcp and listen.http both use port 8080 on [::]");
    }

    @Test
    void validateAcceptsEdgeValues() {
        TransportConfig config = TransportConfig.defaults()
                .enableTcpListen("[::]", 0)
                .enableHttpListen("[::]", 0, false)
                .setSyncGroup(0);
        config.connect().setRetryInterval(Duration.ofMillis(1));

        assertEquals(config, config.validate());
        config.connect().setRetryInterval(Duration.ofMillis(Integer.MAX_VALUE));
        config.enableTcpListen("127.0.0.1", 9000).enableHttpListen("[::1]", 9000, true);
        config.validate();
    }

    @Test
    void retryIntervalIsKeptInWholeMilliseconds() {
        TransportConfig config = TransportConfig.defaults();

        config.connect().setRetryInterval(Duration.ofNanos(1_500_000));

        assertEquals(Duration.ofMillis(1), config.connect().retryInterval());
        assertEquals(config, TransportConfig.fromJson(config.toJson()));
    }

    @Test
    void equalsAndHashCodeCoverEverySetting() {
        List<Consumer<TransportConfig>> changes = new ArrayList<>();
        changes.add(c -> c.peerToPeer().bluetoothLe().setEnabled(true));
        changes.add(c -> c.peerToPeer().lan().setEnabled(true));
        changes.add(c -> c.peerToPeer().lan().setMdnsEnabled(false));
        changes.add(c -> c.peerToPeer().lan().setMulticastEnabled(false));
        changes.add(c -> c.peerToPeer().awdl().setEnabled(true));
        changes.add(c -> c.peerToPeer().wifiAware().setEnabled(true));
        changes.add(c -> c.addTcpServer("h:1"));
        changes.add(c -> c.addWebsocketUrl("ws://h"));
        changes.add(c -> c.connect().setRetryInterval(Duration.ofSeconds(1)));
        changes.add(c -> c.listen().tcp().setEnabled(true));
        changes.add(c -> c.listen().tcp().setInterfaceIp("127.0.0.1"));
        changes.add(c -> c.listen().tcp().setPort(1));
        changes.add(c -> c.listen().http().setEnabled(true));
        changes.add(c -> c.listen().http().setInterfaceIp("127.0.0.1"));
        changes.add(c -> c.listen().http().setPort(1));
        changes.add(c -> c.listen().http().setWebsocketSync(true));
        changes.add(c -> c.setStaticContentPath("/s"));
        changes.add(c -> c.listen().http().setTlsKeyPath("k"));
        changes.add(c -> c.listen().http().setTlsCertificatePath("c"));
        changes.add(c -> c.setSyncGroup(1));
        changes.add(c -> c.global().setRoutingHint(1));

        for (int i = 0; i < changes.size(); i++) {
            TransportConfig changed = TransportConfig.defaults();
            changes.get(i).accept(changed);
            assertNotEquals(TransportConfig.defaults(), changed, "change " + i);
            assertNotEquals(TransportConfig.defaults().toJson(), changed.toJson(), "change " + i);
            TransportConfig again = TransportConfig.defaults();
            changes.get(i).accept(again);
            assertEquals(changed, again, "change " + i);
            assertEquals(changed.hashCode(), again.hashCode(), "change " + i);
        }
    }

    @Test
    void toStringShowsTheSettings() {
        String s = everythingSet().toString();

        assertTrue(s.startsWith("TransportConfig{"), s);
        assertTrue(s.contains("\"sync_group\":4294967295"), s);
    }

    private static void assertValidationFails(Consumer<TransportConfig> change, String message) {
        TransportConfig config = TransportConfig.defaults();
        change.accept(config);
        assertEquals(message, invalidConfig(config::validate).getMessage());
    }
}
