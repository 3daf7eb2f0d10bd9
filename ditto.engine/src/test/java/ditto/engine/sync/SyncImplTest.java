package ditto.engine.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.SyncSubscription;
import ditto.api.spi.storage.StorageProvider;
import ditto.engine.DittoEngine;
import ditto.engine.plugin.PluginRegistry;

/**
 * The application's {@code Sync} and activation through a real instance: subscription rules,
 * handles, start/stop, activation by offline license token, closing.
 */
class SyncImplTest {

    @TempDir
    Path temp;

    private final PluginRegistry registry = new PluginRegistry();
    private final DittoEngine engine = new DittoEngine(registry);
    private final List<Ditto> opened = new ArrayList<>();
    private final String databaseId = UUID.randomUUID().toString();

    SyncImplTest() {
        for (StorageProvider p : ServiceLoader.load(StorageProvider.class)) {
            if (p.id().equals("memory")) {
                registry.addStorage(p);
            }
        }
    }

    @AfterEach
    void close() {
        opened.forEach(Ditto::close);
        engine.close();
    }

    private Ditto open(Map<String, Object> experimental) {
        Ditto d = engine.open(DittoConfig.defaults().withDatabaseId(databaseId)
                .withPersistenceDirectory(temp.resolve("db" + opened.size())).withExperimental(experimental));
        opened.add(d);
        return d;
    }

    private static DittoException assertDitto(ErrorCode code, Executable call) {
        DittoException e = assertThrows(DittoException.class, call);
        assertEquals(code, e.code(), e::toString);
        return e;
    }

    @Test
    void registersSelectSubscriptionsBeforeStartAndListsThem() {
        Ditto ditto = open(Map.of());
        SyncSubscription cars = ditto.sync().registerSubscription("SELECT * FROM cars WHERE color = :c",
                Map.of("c", "red"));
        SyncSubscription all = ditto.sync().registerSubscription("SELECT * FROM trucks");
        assertEquals(List.of(cars, all), ditto.sync().subscriptions());
        assertEquals("SELECT * FROM cars WHERE color = :c", cars.queryString());
        assertEquals(Map.of("c", "red"), cars.queryArguments());
        assertSame(ditto, cars.ditto());
        assertFalse(cars.isCancelled());
        assertFalse(ditto.sync().isActive());
    }

    @Test
    void refusesWhatCannotBeASubscription() {
        Ditto ditto = open(Map.of());
        assertDitto(ErrorCode.UNSUPPORTED, () -> ditto.sync().registerSubscription("DELETE FROM cars"));
        assertDitto(ErrorCode.UNSUPPORTED, () -> ditto.sync().registerSubscription("SELECT * FROM system:indexes"));
        DittoException restricted = assertDitto(ErrorCode.UNSUPPORTED,
                () -> ditto.sync().registerSubscription("SELECT * FROM cars ORDER BY year LIMIT 3"));
        assertTrue(restricted.getMessage().contains("DQL_RESTRICT_SUBSCRIPTIONS"), restricted.getMessage());
        assertDitto(ErrorCode.QUERY_COMPILATION, () -> ditto.sync().registerSubscription("SELEKT nothing"));
        assertDitto(ErrorCode.INVALID_ARGUMENTS, () -> ditto.sync().registerSubscription(
                "SELECT * FROM cars WHERE color = :c"));
        assertTrue(ditto.sync().subscriptions().isEmpty());
    }

    @Test
    void allowsLimitAndOrderWhenSubscriptionsAreNotRestricted() {
        Ditto ditto = open(Map.of());
        ditto.store().execute("ALTER SYSTEM SET DQL_RESTRICT_SUBSCRIPTIONS = false").close();
        SyncSubscription s = ditto.sync().registerSubscription("SELECT * FROM cars ORDER BY year LIMIT 3");
        assertEquals(1, ditto.sync().subscriptions().size());
        s.cancel();
    }

    @Test
    void cancellingRemovesTheSubscriptionOnceAndCloseCancels() {
        Ditto ditto = open(Map.of());
        SyncSubscription s = ditto.sync().registerSubscription("SELECT * FROM cars");
        s.cancel();
        s.cancel();
        s.close();
        assertTrue(s.isCancelled());
        assertTrue(ditto.sync().subscriptions().isEmpty());
        SyncSubscription t = ditto.sync().registerSubscription("SELECT * FROM cars");
        ditto.close();
        assertTrue(t.isCancelled());
    }

    @Test
    void startsAndStopsAnyNumberOfTimesWithoutTransports() {
        Ditto ditto = open(Map.of());
        for (int i = 0; i < 3; i++) {
            ditto.sync().start();
            ditto.sync().start();
            assertTrue(ditto.sync().isActive());
            ditto.sync().stop();
            ditto.sync().stop();
            assertFalse(ditto.sync().isActive());
        }
    }

    @Test
    void afterCloseStopDoesNothingIsActiveIsFalseAndTheRestThrowsClosed() {
        Ditto ditto = open(Map.of());
        ditto.sync().start();
        var sync = ditto.sync();
        ditto.close();
        assertFalse(sync.isActive());
        sync.stop();
        assertDitto(ErrorCode.CLOSED, sync::start);
        assertDitto(ErrorCode.CLOSED, () -> sync.registerSubscription("SELECT * FROM cars"));
        assertDitto(ErrorCode.CLOSED, sync::subscriptions);
    }

    @Test
    void dataSyncInfoIsAnEmptySystemCollectionBeforeAnyPeer() {
        Ditto ditto = open(Map.of());
        try (QueryResult r = ditto.store().execute("SELECT * FROM system:data_sync_info")) {
            assertEquals(0, r.itemCount());
        }
    }

    // ---- activation --------------------------------------------------------------------------------

    private static KeyPair issuer() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        return g.generateKeyPair();
    }

    private static String token(KeyPair issuer, String payloadJson) throws Exception {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(
                payloadJson.getBytes(StandardCharsets.UTF_8));
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(issuer.getPrivate());
        s.update(payload.getBytes(StandardCharsets.US_ASCII));
        return payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(s.sign());
    }

    private static Map<String, Object> issuerConfig(KeyPair issuer) {
        return Map.of(Activation.ISSUER_KEY, Base64.getEncoder().encodeToString(issuer.getPublic().getEncoded()));
    }

    @Test
    void isActivatedWithoutAConfiguredIssuer() {
        Ditto ditto = open(Map.of());
        assertTrue(ditto.isActivated());
        ditto.setOfflineOnlyLicenseToken("anything");
        ditto.sync().start();
        assertTrue(ditto.sync().isActive());
    }

    @Test
    void refusesToStartUntilATokenSignedByTheIssuerArrives() throws Exception {
        // given a deployment that configures a license issuer
        KeyPair issuer = issuer();
        Ditto ditto = open(issuerConfig(issuer));

        // then sync refuses to start
        assertFalse(ditto.isActivated());
        DittoException e = assertDitto(ErrorCode.ACTIVATION, () -> ditto.sync().start());
        assertTrue(e.getMessage().contains("setOfflineOnlyLicenseToken"), e.getMessage());
        assertFalse(ditto.sync().isActive());

        // and bad tokens are refused
        String future = Instant.now().plusSeconds(3600).toString();
        assertDitto(ErrorCode.ACTIVATION, () -> ditto.setOfflineOnlyLicenseToken("not-a-token"));
        assertDitto(ErrorCode.ACTIVATION, () -> ditto.setOfflineOnlyLicenseToken(
                token(issuer(), "{\"expires_at\":\"" + future + "\"}")));
        assertDitto(ErrorCode.ACTIVATION, () -> ditto.setOfflineOnlyLicenseToken(
                token(issuer, "{\"expires_at\":\"2001-01-01T00:00:00Z\"}")));
        assertDitto(ErrorCode.ACTIVATION, () -> ditto.setOfflineOnlyLicenseToken(
                token(issuer, "{\"expires_at\":\"" + future + "\",\"database_id\":\"another\"}")));
        assertDitto(ErrorCode.ACTIVATION, () -> ditto.setOfflineOnlyLicenseToken(token(issuer, "{}")));
        assertFalse(ditto.isActivated());

        // when a valid token arrives, sync starts
        ditto.setOfflineOnlyLicenseToken(token(issuer, "{\"expires_at\":\"" + future + "\",\"database_id\":\""
                + databaseId + "\"}"));
        assertTrue(ditto.isActivated());
        ditto.sync().start();
        assertTrue(ditto.sync().isActive());
    }

    @Test
    void refusesToOpenWithAnIssuerKeyThatIsNotAKey() {
        DittoException e = assertThrows(DittoException.class, () -> open(Map.of(Activation.ISSUER_KEY, "bm90IGEga2V5")));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
    }
}
