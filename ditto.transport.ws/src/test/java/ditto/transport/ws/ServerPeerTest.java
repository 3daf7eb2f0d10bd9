package ditto.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.AuthenticationProvider;
import ditto.api.AuthenticationStatus;
import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoConfigConnect;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.TransportConfig;
import ditto.testkit.auth.TestTokens;

/**
 * A server peer and its clients as whole instances in one JVM, opened through the public API
 * ({@link Ditto#open}: the engine, the memory store and the identity providers of ditto.auth are
 * test-scope dependencies found by ServiceLoader), over real WebSocket links on loopback (plain
 * and TLS): login, sync through the server, nothing before login, token errors, expiry and
 * refresh through the handler, permissions, logout and kept credentials.
 */
class ServerPeerTest {

    private static final long TIMEOUT_MILLIS = 30_000;
    private static final String ALL = "{\"read\":{\"*\":true},\"write\":{\"*\":true}}";

    @TempDir
    Path temp;

    /** The system property both the login client and {@code wss://} links read for trusted certificates. */
    private static final String TRUSTED_CERTIFICATES = Connector.TRUSTED_CERTIFICATES;
    private static final Map<String, Object> MEMORY = Map.of("storage.provider", "memory");

    private final List<Ditto> opened = new ArrayList<>();
    private final String databaseId = UUID.randomUUID().toString();

    @AfterEach
    void close() {
        opened.forEach(Ditto::close);
        System.clearProperty(TRUSTED_CERTIFICATES);
    }

    // ---- fixtures ----------------------------------------------------------------------------------

    private Ditto server(int port, boolean development, String keyPath, String certificatePath) {
        return server(port, development, keyPath, certificatePath, Map.of());
    }

    private Ditto server(int port, boolean development, String keyPath, String certificatePath,
            Map<String, Object> moreProviders) {
        Map<String, Object> providers = new java.util.LinkedHashMap<>(moreProviders);
        providers.put("jwt", Map.of("hs256Secret", TestTokens.SECRET));
        Map<String, Object> server = Map.of("development_mode", development, "identity_providers", providers);
        Ditto ditto = Ditto.open(DittoConfig.defaults().withDatabaseId(databaseId)
                .withPersistenceDirectory(temp.resolve("server"))
                .withExperimental(Map.of("server", server, "storage.provider", "memory")));
        opened.add(ditto);
        TransportConfig config = TransportConfig.defaults().disableAllPeerToPeer().enableHttpListen("127.0.0.1", port, true);
        if (keyPath != null) {
            config.setHttpTls(keyPath, certificatePath);
        }
        ditto.setTransportConfig(config);
        ditto.sync().start();
        return ditto;
    }

    private Ditto client(String name, String url) {
        Ditto ditto = Ditto.open(DittoConfig.defaults().withDatabaseId(databaseId).withExperimental(MEMORY)
                .withPersistenceDirectory(temp.resolve(name)).withConnect(new DittoConfigConnect.Server(URI.create(url))));
        opened.add(ditto);
        TransportConfig config = TransportConfig.defaults().disableAllPeerToPeer();
        config.connect().setRetryInterval(Duration.ofMillis(200));
        ditto.setTransportConfig(config);
        ditto.setDeviceName(name);
        return ditto;
    }

    /** A client whose handler logs in with a fresh token for {@code user} every time it is asked. */
    private Ditto loggedIn(String name, String url, String user, String permissions) throws Exception {
        Ditto ditto = client(name, url);
        ditto.auth().orElseThrow().setExpirationHandler((d, left) -> d.auth().orElseThrow()
                .login(TestTokens.hs256(user, Instant.now().plusSeconds(3600), permissions), AuthenticationProvider.of("jwt")));
        ditto.sync().start();
        await(name + " logged in", () -> ditto.auth().orElseThrow().status().isAuthenticated());
        return ditto;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static List<Map<String, Object>> rows(Ditto ditto, String dql) {
        try (QueryResult r = ditto.store().execute(dql)) {
            return r.values();
        }
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }

    // ---- tests -------------------------------------------------------------------------------------

    @Test
    void twoClientsSyncThroughTheServerAfterLoggingIn() throws Exception {
        // given a server peer and two clients that log in from their expiration handlers
        int port = freePort();
        Ditto server = server(port, false, null, null);
        String url = "http://127.0.0.1:" + port;
        Ditto alice = loggedIn("alice", url, "alice", ALL);
        Ditto bob = loggedIn("bob", url, "bob", ALL);
        bob.sync().registerSubscription("SELECT * FROM cars");
        alice.sync().registerSubscription("SELECT * FROM cars");

        // when each writes a car
        alice.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'a1', 'make': 'Ford'})").close();
        bob.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'b1', 'make': 'Fiat'})").close();

        // then both cars reach the other client through the server, which stores every collection
        await("bob holds alice's car", () -> rows(bob, "SELECT * FROM cars").size() == 2);
        await("alice holds bob's car", () -> rows(alice, "SELECT * FROM cars").size() == 2);
        assertEquals(2, rows(server, "SELECT * FROM cars").size());
        AuthenticationStatus status = alice.auth().orElseThrow().status();
        assertEquals("alice", status.userId());
        assertEquals("gold", status.clientInfo().get("plan"));
        Map<String, Object> row = rows(alice, "SELECT * FROM system:data_sync_info").get(0);
        assertEquals(true, row.get("is_ditto_server"));
    }

    @Test
    void loginReturnsClientInfoAndNoDataFlowsBeforeIt() throws Exception {
        // given a server holding a document and a client whose handler does not log in
        int port = freePort();
        Ditto server = server(port, false, null, null);
        server.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'c1'})").close();
        Ditto client = client("client", "http://127.0.0.1:" + port);
        AtomicInteger asked = new AtomicInteger();
        List<Duration> lefts = new CopyOnWriteArrayList<>();
        client.auth().orElseThrow().setExpirationHandler((d, left) -> {
            asked.incrementAndGet();
            lefts.add(left);
        });
        client.sync().registerSubscription("SELECT * FROM cars");

        // when sync starts without a login
        client.sync().start();
        await("the handler was asked", () -> asked.get() == 1);
        Thread.sleep(1_500);

        // then nothing flowed and the server knows no peer
        assertEquals(Duration.ZERO, lefts.get(0));
        assertTrue(rows(client, "SELECT * FROM cars").isEmpty());
        assertTrue(rows(server, "SELECT * FROM system:data_sync_info").isEmpty());
        assertFalse(client.auth().orElseThrow().status().isAuthenticated());

        // when the application logs in
        String clientInfo = client.auth().orElseThrow().login(TestTokens.hs256("carol", Instant.now().plusSeconds(600), ALL),
                AuthenticationProvider.of("jwt"));

        // then the login returns the provider's clientInfo and the document arrives
        assertTrue(clientInfo.contains("\"plan\":\"gold\""), clientInfo);
        await("the client holds the server's car", () -> rows(client, "SELECT * FROM cars").size() == 1);
    }

    @Test
    void badExpiredAndUnknownLoginsFailWithClearAuthenticationErrors() throws Exception {
        // given
        int port = freePort();
        server(port, false, null, null);
        Ditto client = client("client", "http://127.0.0.1:" + port);
        var auth = client.auth().orElseThrow();
        String forged = TestTokens.hs256("some-other-secret-of-32-bytes-len!!", "eve", Instant.now().plusSeconds(60), null);
        String expired = TestTokens.hs256("eve", Instant.now().minusSeconds(3600), null);

        // when
        DittoException bad = assertThrows(DittoException.class, () -> auth.login(forged, AuthenticationProvider.of("jwt")));
        DittoException old = assertThrows(DittoException.class, () -> auth.login(expired, AuthenticationProvider.of("jwt")));
        DittoException unknown = assertThrows(DittoException.class,
                () -> auth.login("t", AuthenticationProvider.of("nobody")));
        DittoException development = assertThrows(DittoException.class,
                () -> auth.login("t", AuthenticationProvider.development()));

        // then
        for (DittoException e : List.of(bad, old, unknown, development)) {
            assertEquals(ErrorCode.AUTHENTICATION, e.code(), e.getMessage());
            assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
            assertTrue(e.getMessage().contains("clientInfo"), e.getMessage());
        }
        assertTrue(bad.getMessage().contains("signature"), bad.getMessage());
        assertTrue(old.getMessage().contains("expired"), old.getMessage());
        assertTrue(unknown.getMessage().contains("nobody"), unknown.getMessage());
        assertTrue(development.getMessage().contains("development mode"), development.getMessage());
        assertFalse(auth.status().isAuthenticated());
    }

    @Test
    void credentialsLoginThroughAWebhookCarriesClientInfoMetadataAndPermissions() throws Exception {
        // given a webhook that grants lee (read everything, write only notes) and refuses anyone else
        try (WebhookStub webhook = new WebhookStub(body -> body.contains("\"username\":\"lee\"")
                && body.contains("\"password\":\"secret\"")
                ? "{\"authenticated\":true,\"userID\":\"lee\",\"expirationSeconds\":600,"
                        + "\"clientInfo\":{\"team\":\"blue\"},\"identityMetadata\":{\"role\":\"driver\"},"
                        + "\"permissions\":{\"read\":{\"*\":true},\"write\":{\"notes\":true}}}"
                : "{\"authenticated\":false,\"reason\":\"wrong password\",\"clientInfo\":{\"hint\":\"ask IT\"}}")) {
            int port = freePort();
            Ditto server = server(port, false, null, null,
                    Map.of("corp", Map.of("type", "webhook", "url", webhook.url())));
            Ditto client = client("client", "http://127.0.0.1:" + port);
            var auth = client.auth().orElseThrow();

            // when a wrong password, then the right one
            DittoException refused = assertThrows(DittoException.class,
                    () -> auth.loginWithCredentials("lee", "guess", AuthenticationProvider.of("corp")));
            auth.loginWithCredentials("lee", "secret", AuthenticationProvider.of("corp"));
            auth.setExpirationHandler((d, left) -> { });
            client.sync().start();
            client.store().execute("INSERT INTO notes DOCUMENTS ({'_id': 'n1'})").close();
            client.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'c1'})").close();

            // then the refusal carries the webhook's reason and clientInfo, the grant its fields
            assertEquals(ErrorCode.AUTHENTICATION, refused.code());
            assertTrue(refused.getMessage().contains("wrong password"), refused.getMessage());
            assertTrue(refused.getMessage().contains("\"hint\":\"ask IT\""), refused.getMessage());
            assertEquals("lee", auth.status().userId());
            assertEquals("blue", auth.status().clientInfo().get("team"));
            assertEquals("driver", client.presence().graph().localPeer().identityServiceMetadata().get("role"));
            await("the server holds the note", () -> rows(server, "SELECT * FROM notes").size() == 1);
            await("the server rejected the car", () -> rows(server, "SELECT * FROM system:data_sync_info").stream()
                    .anyMatch(r -> ((Map<?, ?>) r.get("documents")).containsKey("rejected_writes")));
            assertTrue(rows(server, "SELECT * FROM cars").isEmpty());
        }
    }

    @Test
    void smallPeersOfOneServerSyncDirectlyOfflineAndEnforceEachOthersGrants() throws Exception {
        // given alice (everything) and bob (may read cars, may write nothing) logged in to one server
        int port = freePort();
        Ditto server = server(port, false, null, null);
        String url = "http://127.0.0.1:" + port;
        Ditto alice = loggedIn("alice", url, "alice", ALL);
        Ditto bob = loggedIn("bob", url, "bob", "{\"read\":{\"cars\":true},\"write\":{}}");

        // when the server goes away and alice and bob link directly over TCP on loopback
        server.close();
        opened.remove(server);
        int lanPort = freePort();
        TransportConfig aliceLan = TransportConfig.defaults().disableAllPeerToPeer().enableTcpListen("127.0.0.1", lanPort);
        TransportConfig bobLan = TransportConfig.defaults().disableAllPeerToPeer().addTcpServer("127.0.0.1:" + lanPort);
        bobLan.connect().setRetryInterval(Duration.ofMillis(200));
        alice.setTransportConfig(aliceLan);
        bob.setTransportConfig(bobLan);
        alice.sync().registerSubscription("SELECT * FROM cars");
        bob.sync().registerSubscription("SELECT * FROM cars");
        alice.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'from-alice'})").close();
        bob.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'from-bob'})").close();

        // then bob receives alice's car (his certificate lets him read), alice refuses bob's (he may not write)
        await("bob holds alice's car", () -> rows(bob, "SELECT * FROM cars WHERE _id = 'from-alice'").size() == 1);
        await("alice reports bob's rejected write", () -> rows(alice, "SELECT * FROM system:data_sync_info").stream()
                .anyMatch(r -> ((Map<?, ?>) r.get("documents")).containsKey("rejected_writes")));
        assertTrue(rows(alice, "SELECT * FROM cars WHERE _id = 'from-bob'").isEmpty());
    }

    @Test
    void unreachableServerIsAnAuthenticationError() throws Exception {
        // given a client of a port nobody listens on
        Ditto client = client("client", "http://127.0.0.1:" + freePort());

        // when
        DittoException e = assertThrows(DittoException.class, () -> client.auth().orElseThrow()
                .login("t", AuthenticationProvider.of("jwt")));

        // then
        assertEquals(ErrorCode.AUTHENTICATION, e.code());
        assertTrue(e.getMessage().contains("/_ditto/auth/login"), e.getMessage());
    }

    @Test
    void developmentProviderLogsInWhenTheServerIsInDevelopmentMode() throws Exception {
        // given
        int port = freePort();
        server(port, true, null, null);
        Ditto client = client("client", "http://127.0.0.1:" + port);

        // when
        client.auth().orElseThrow().login("anything", AuthenticationProvider.development());

        // then
        assertTrue(client.auth().orElseThrow().status().isAuthenticated());
    }

    @Test
    void expiringTokensAreRefreshedThroughTheHandlerAndSyncGoesOn() throws Exception {
        // given a client whose tokens live 4 seconds (the handler is asked a second before expiry)
        int port = freePort();
        Ditto server = server(port, false, null, null);
        Ditto client = client("client", "http://127.0.0.1:" + port);
        List<Duration> lefts = new CopyOnWriteArrayList<>();
        List<AuthenticationStatus> statuses = new CopyOnWriteArrayList<>();
        var auth = client.auth().orElseThrow();
        auth.observeStatus(statuses::add);
        auth.setExpirationHandler((d, left) -> {
            lefts.add(left);
            d.auth().orElseThrow().login(TestTokens.hs256("dave", Instant.now().plusSeconds(4), ALL),
                    AuthenticationProvider.of("jwt"));
        });
        client.sync().start();

        // when more than one lifetime passes
        await("the handler ran three times", () -> lefts.size() >= 3);
        server.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'late'})").close();
        client.sync().registerSubscription("SELECT * FROM cars");

        // then the first call had no credentials, later ones came before expiry, and sync still works
        assertEquals(Duration.ZERO, lefts.get(0));
        assertTrue(lefts.get(1).compareTo(Duration.ZERO) > 0 && lefts.get(1).compareTo(Duration.ofSeconds(4)) < 0,
                lefts.toString());
        assertTrue(auth.status().isAuthenticated());
        await("the late car arrived", () -> rows(client, "SELECT * FROM cars").size() == 1);
        assertTrue(statuses.get(0).isAuthenticated(), statuses.toString());
    }

    @Test
    void withoutRefreshTheClientBecomesUnauthenticatedAtExpiry() throws Exception {
        // given a login of 2 seconds that is never renewed
        int port = freePort();
        server(port, false, null, null);
        Ditto client = client("client", "http://127.0.0.1:" + port);
        List<Duration> lefts = new CopyOnWriteArrayList<>();
        List<AuthenticationStatus> statuses = new CopyOnWriteArrayList<>();
        var auth = client.auth().orElseThrow();
        auth.observeStatus(statuses::add);
        auth.setExpirationHandler((d, left) -> lefts.add(left));
        auth.login(TestTokens.hs256("erin", Instant.now().plusSeconds(2), ALL), AuthenticationProvider.of("jwt"));
        client.sync().start();

        // when it expires
        await("unauthenticated", () -> !auth.status().isAuthenticated());

        // then the handler heard the warning and then zero, and observers saw both changes in order
        await("the handler heard the expiry", () -> lefts.contains(Duration.ZERO));
        assertTrue(lefts.get(0).compareTo(Duration.ZERO) > 0, lefts.toString());
        await("observers saw the expiry", () -> statuses.size() == 2);
        assertTrue(statuses.get(0).isAuthenticated());
        assertFalse(statuses.get(1).isAuthenticated());
    }

    @Test
    void permissionsAreEnforcedBothWays() throws Exception {
        // given a server holding cars of alice and bob, and alice who may read and write only hers
        int port = freePort();
        Ditto server = server(port, false, null, null);
        server.store().execute("INSERT INTO cars DOCUMENTS ({'_id': {'owner': 'alice', 'n': 1}}),"
                + " ({'_id': {'owner': 'bob', 'n': 1}})").close();
        String mine = "[\"_id.owner = 'alice'\"]";
        Ditto alice = loggedIn("alice", "http://127.0.0.1:" + port, "alice",
                "{\"read\":{\"cars\":" + mine + "},\"write\":{\"cars\":" + mine + "}}");

        // when alice subscribes to every car and writes one of hers and one of bob's
        alice.sync().registerSubscription("SELECT * FROM cars");
        alice.store().execute("INSERT INTO cars DOCUMENTS ({'_id': {'owner': 'alice', 'n': 2}}),"
                + " ({'_id': {'owner': 'bob', 'n': 2}})").close();

        // then she receives only her car, and the server keeps only hers and reports the other
        await("the server holds alice's new car", () -> rows(server, "SELECT * FROM cars").size() == 3);
        await("alice holds the server's car of hers", () -> rows(alice,
                "SELECT * FROM cars WHERE _id.owner = 'alice'").size() == 2);
        await("the server reports the rejected write", () -> rows(server, "SELECT * FROM system:data_sync_info")
                .stream().anyMatch(r -> ((Map<?, ?>) r.get("documents")).containsKey("rejected_writes")));
        Thread.sleep(500);
        assertEquals(1, rows(alice, "SELECT * FROM cars WHERE _id.owner = 'bob'").size(), "only her own write");
        assertEquals(1, rows(server, "SELECT * FROM cars WHERE _id.owner = 'bob'").size(), "bob's car untouched");
    }

    @Test
    void logoutStopsSyncForgetsCredentialsAndKeepsData() throws Exception {
        // given a logged-in client holding a document
        int port = freePort();
        server(port, false, null, null);
        Ditto client = loggedIn("client", "http://127.0.0.1:" + port, "frank", ALL);
        client.store().execute("INSERT INTO notes DOCUMENTS ({'_id': 'n1'})").close();
        Path kept = temp.resolve("client").resolve("auth").resolve("credentials.json");
        assertTrue(Files.exists(kept));
        List<Ditto> cleaned = new ArrayList<>();

        // when it logs out
        client.auth().orElseThrow().logout(cleaned::add);

        // then
        assertFalse(client.sync().isActive());
        assertFalse(client.auth().orElseThrow().status().isAuthenticated());
        assertFalse(Files.exists(kept));
        assertEquals(List.of(client), cleaned);
        assertEquals(1, rows(client, "SELECT * FROM notes").size());
    }

    @Test
    void credentialsSurviveARestart() throws Exception {
        // given a client that logged in and closed
        int port = freePort();
        Ditto server = server(port, false, null, null);
        Ditto first = loggedIn("client", "http://127.0.0.1:" + port, "gina", ALL);
        first.close();
        opened.remove(first);
        server.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'after-restart'})").close();

        // when it opens again and starts sync with a handler that never logs in
        Ditto again = client("client", "http://127.0.0.1:" + port);
        AtomicInteger asked = new AtomicInteger();
        again.auth().orElseThrow().setExpirationHandler((d, left) -> asked.incrementAndGet());
        again.sync().registerSubscription("SELECT * FROM cars");
        again.sync().start();

        // then it is logged in from the kept credentials and syncs
        assertTrue(again.auth().orElseThrow().status().isAuthenticated());
        assertEquals("gina", again.auth().orElseThrow().status().userId());
        await("the car arrived", () -> rows(again, "SELECT * FROM cars").size() == 1);
        assertEquals(0, asked.get());
    }

    @Test
    void loginAndSyncOverTls() throws Exception {
        // given a server listening with TLS from PEM files made here, trusted by the client
        Path[] pem = PemTlsTest.selfSignedPem(temp);
        Path key = pem[0];
        Path certificate = pem[1];
        System.setProperty(TRUSTED_CERTIFICATES, certificate.toString());
        int port = freePort();
        Ditto server = server(port, false, key.toString(), certificate.toString());
        server.store().execute("INSERT INTO cars DOCUMENTS ({'_id': 'over-tls'})").close();

        // when a client of https://127.0.0.1 logs in and subscribes
        Ditto client = loggedIn("client", "https://127.0.0.1:" + port, "hank", ALL);
        client.sync().registerSubscription("SELECT * FROM cars");

        // then
        await("the car arrived over wss", () -> rows(client, "SELECT * FROM cars").size() == 1);
    }

    @Test
    void plainHttpClientOfATlsServerFailsClearly() throws Exception {
        // given a TLS server
        Path[] pem = PemTlsTest.selfSignedPem(temp);
        Path key = pem[0];
        Path certificate = pem[1];
        int port = freePort();
        server(port, false, key.toString(), certificate.toString());

        // when a client uses https without trusting the certificate
        Ditto client = client("client", "https://127.0.0.1:" + port);
        DittoException e = assertThrows(DittoException.class, () -> client.auth().orElseThrow()
                .login(TestTokens.hs256("ivy", Instant.now().plusSeconds(60), ALL), AuthenticationProvider.of("jwt")));

        // then
        assertEquals(ErrorCode.AUTHENTICATION, e.code());
    }
}
