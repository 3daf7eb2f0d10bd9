package ditto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import ditto.api.DittoConfig;
import ditto.api.DittoConfigConnect;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;

class ServerConfigTest {

    private static final String ID = "4f5c7e41-eaf9-4b56-8582-2250b38f2e2d";
    private static final Function<String, String> HOME = name -> name.equals("ditto.home") ? "/opt/ditto" : null;
    private static final Function<String, String> NO_PROPERTIES = name -> null;

    @TempDir
    Path temp;

    @Test
    void onlyTheDatabaseIdIsRequiredAndEverythingElseHasItsDefault() {
        // when
        ServerConfig config = ServerConfig.parse(Map.of("database_id", ID), HOME);

        // then
        assertEquals(ID, config.databaseId());
        assertEquals(Optional.of(Path.of("/opt/ditto/server-data")), config.directory());
        assertEquals(new ServerConfig.Listener(true, "[::]", 4040), config.tcp());
        assertEquals(new ServerConfig.Listener(true, "[::]", 8080), config.http());
        assertTrue(config.websocketSync());
        assertEquals(Optional.empty(), config.staticContentPath());
        assertEquals(Optional.empty(), config.tlsKeyPath());
        assertEquals(Optional.empty(), config.tlsCertificatePath());
        assertFalse(config.lanEnabled());
        assertFalse(config.developmentMode());
        assertEquals(Map.of(), config.identityProviders());
        assertEquals(Map.of(), config.storage());
    }

    @Test
    void withoutDittoHomeTheEnginesDefaultDirectoryApplies() {
        // when
        ServerConfig config = ServerConfig.parse(Map.of("database_id", ID), NO_PROPERTIES);

        // then
        assertEquals(Optional.empty(), config.directory());
        assertEquals(Optional.empty(), config.dittoConfig().persistenceDirectory());
    }

    @Test
    void everyKeyIsRead() throws IOException {
        // given
        Path site = Files.createDirectories(temp.resolve("site"));
        Path key = Files.writeString(temp.resolve("key.pem"), "key");
        Path certificate = Files.writeString(temp.resolve("cert.pem"), "cert");
        Map<String, Object> properties = new HashMap<>();
        properties.put("database_id", " " + ID + " ");
        properties.put("directory", "/srv/ditto");
        properties.put("tcp.enabled", "FALSE");
        properties.put("tcp.interface", "127.0.0.1");
        properties.put("tcp.port", "5050");
        properties.put("http.enabled", "true");
        properties.put("http.interface", "::1");
        properties.put("http.port", "8443");
        properties.put("http.websocket_sync", "false");
        properties.put("http.static_content_path", site.toString());
        properties.put("http.tls_key_path", key.toString());
        properties.put("http.tls_certificate_path", certificate.toString());
        properties.put("lan.enabled", "true");
        properties.put("development_mode", "true");
        properties.put("identity.jwt.hs256_secret", "0123456789abcdef0123456789abcdef");
        properties.put("identity.my-webhook.type", "webhook");
        properties.put("identity.my-webhook.url", "https://auth.example.com/login");
        properties.put("identity.my-webhook.timeout_millis", "2500");
        properties.put("storage.provider", "memory");

        // when
        ServerConfig config = ServerConfig.parse(properties, HOME);

        // then
        assertEquals(ID, config.databaseId());
        assertEquals(Optional.of(Path.of("/srv/ditto")), config.directory());
        assertEquals(new ServerConfig.Listener(false, "127.0.0.1", 5050), config.tcp());
        assertEquals(new ServerConfig.Listener(true, "::1", 8443), config.http());
        assertFalse(config.websocketSync());
        assertEquals(Optional.of(site.toString()), config.staticContentPath());
        assertEquals(Optional.of(key.toString()), config.tlsKeyPath());
        assertEquals(Optional.of(certificate.toString()), config.tlsCertificatePath());
        assertTrue(config.lanEnabled());
        assertTrue(config.developmentMode());
        assertEquals(Map.of(
                "jwt", Map.of("hs256Secret", "0123456789abcdef0123456789abcdef"),
                "my-webhook", Map.of("type", "webhook", "url", "https://auth.example.com/login", "timeoutMillis", "2500")),
                config.identityProviders());
        assertEquals(Map.of("storage.provider", "memory"), config.storage());
        assertEquals("jwt (jwt), my-webhook (webhook)", config.describeIdentityProviders());
    }

    @Test
    void typedValuesFromConfigAdminAreAcceptedAndNumbersStayNumbers() {
        // given what a typed ConfigAdmin configuration holds
        Map<String, Object> properties = Map.of("database_id", ID, "tcp.port", 4041, "http.port", 8081L,
                "http.enabled", Boolean.FALSE, "development_mode", Boolean.TRUE,
                "identity.__ditto_dev_provider.expiration_seconds", 3600,
                "storage.cacheSizeMb", 64);

        // when
        ServerConfig config = ServerConfig.parse(properties, HOME);

        // then
        assertEquals(4041, config.tcp().port());
        assertEquals(new ServerConfig.Listener(false, "[::]", 8081), config.http());
        assertTrue(config.developmentMode());
        assertEquals(Map.of("__ditto_dev_provider", Map.of("expirationSeconds", 3600)), config.identityProviders());
        assertEquals(Map.of("__ditto_dev_provider", Map.of("expirationSeconds", 3600L)),
                ((Map<?, ?>) config.dittoConfig().experimental().get("server")).get("identity_providers"),
                "the engine receives the number, widened to Long");
        assertEquals(64L, config.dittoConfig().experimental().get("storage.cacheSizeMb"));
    }

    @Test
    void emptyValuesMeanTheDefault() {
        // given "key =" lines of a .cfg file
        Map<String, Object> properties = new HashMap<>(Map.of("database_id", ID));
        for (String key : List.of("directory", "tcp.enabled", "tcp.interface", "tcp.port", "http.enabled",
                "http.interface", "http.port", "http.websocket_sync", "http.static_content_path", "http.tls_key_path",
                "http.tls_certificate_path", "lan.enabled", "development_mode", "identity.jwt.hs256_secret",
                "storage.provider")) {
            properties.put(key, "  ");
        }

        // when
        ServerConfig config = ServerConfig.parse(properties, HOME);

        // then
        assertEquals(ServerConfig.parse(Map.of("database_id", ID), HOME), config);
    }

    @Test
    void keysAddedByConfigAdminFileInstallAndDeclarativeServicesAreIgnored() {
        // given
        Map<String, Object> properties = new HashMap<>();
        properties.put("database_id", ID);
        properties.put("service.pid", "ditto.server");
        properties.put("felix.fileinstall.filename", "file:/opt/ditto/conf/ditto.server.cfg");
        properties.put("component.name", "ditto.server.ServerPeer");
        properties.put("component.id", 7L);
        properties.put("osgi.command.scope", "ditto");
        properties.put("osgi.command.function", new String[] {"server"});
        properties.put("objectClass", new String[] {"ditto.server.ServerPeer"});
        properties.put(".private", "x");

        // when
        ServerConfig config = ServerConfig.parse(properties, HOME);

        // then
        assertEquals(ServerConfig.parse(Map.of("database_id", ID), HOME), config);
    }

    @Test
    void dittoConfigFollowsTheEngineContract() {
        // given
        Map<String, Object> properties = new TreeMap<>(Map.of("database_id", ID, "directory", "/srv/ditto",
                "development_mode", "true", "identity.jwt.hs256_secret", "0123456789abcdef0123456789abcdef",
                "identity.dev.type", "__ditto_dev_provider", "storage.provider", "memory",
                "storage.encryption_key", "00112233445566778899aabbccddeeff"));

        // when
        DittoConfig config = ServerConfig.parse(properties, HOME).dittoConfig();

        // then
        assertEquals(ID, config.databaseId());
        assertEquals(DittoConfigConnect.smallPeersOnly(), config.connect());
        assertEquals(Optional.of(Path.of("/srv/ditto")), config.persistenceDirectory());
        assertEquals(Map.of(
                "server", Map.of(
                        "development_mode", true,
                        "identity_providers", Map.of(
                                "dev", Map.of("type", "__ditto_dev_provider"),
                                "jwt", Map.of("hs256Secret", "0123456789abcdef0123456789abcdef"))),
                "storage.provider", "memory",
                "storage.encryption_key", "00112233445566778899aabbccddeeff"), config.experimental());
        assertFalse(config.toString().contains("0123456789abcdef"), "secrets never reach toString: " + config);
        assertFalse(ServerConfig.parse(properties, HOME).toString().contains("0123456789abcdef"));
        assertEquals(config, config.validate());
    }

    @Test
    void serverSectionIsPresentWithoutIdentityProviders() {
        // when
        DittoConfig config = ServerConfig.parse(Map.of("database_id", ID), HOME).dittoConfig();

        // then
        assertEquals(Map.of("server", Map.of("development_mode", false, "identity_providers", Map.of())),
                config.experimental());
    }

    @Test
    void applyToSetsTheListenersAndLanAndRemovesEveryOutgoingConnection() throws IOException {
        // given a transport configuration with everything the server does not want
        Path key = Files.writeString(temp.resolve("key.pem"), "key");
        Path certificate = Files.writeString(temp.resolve("cert.pem"), "cert");
        TransportConfig transport = new TransportConfig().enableAllPeerToPeer().addTcpServer("10.0.0.1:4040")
                .addWebsocketUrl("wss://cloud.example.com").setSyncGroup(7);
        Map<String, Object> properties = new LinkedHashMap<>(Map.of("database_id", ID, "tcp.interface", "127.0.0.1",
                "tcp.port", "4141", "http.port", "8181", "lan.enabled", "true"));
        properties.put("http.tls_key_path", key.toString());
        properties.put("http.tls_certificate_path", certificate.toString());
        properties.put("http.static_content_path", temp.toString());

        // when
        ServerConfig.parse(properties, HOME).applyTo(transport);

        // then
        TransportConfig expected = new TransportConfig().setSyncGroup(7);
        expected.peerToPeer().lan().setEnabled(true).setMdnsEnabled(true).setMulticastEnabled(true);
        expected.enableTcpListen("127.0.0.1", 4141);
        expected.enableHttpListen("[::]", 8181, true).setHttpTls(key.toString(), certificate.toString())
                .setStaticContentPath(temp.toString());
        assertEquals(expected, transport);
        assertEquals(transport, transport.validate());
        assertEquals("tcp 127.0.0.1:4141, https [::]:8181 (websocket sync, static content " + temp + ")",
                ServerConfig.describeListeners(transport));
    }

    @Test
    void disabledListenersAndLanAreOffInTheTransportConfig() {
        // given
        TransportConfig transport = new TransportConfig();

        // when
        ServerConfig.parse(Map.of("database_id", ID, "tcp.enabled", "false", "http.enabled", "false"), HOME)
                .applyTo(transport);

        // then
        assertFalse(transport.listen().tcp().isEnabled());
        assertFalse(transport.listen().http().isEnabled());
        assertFalse(transport.peerToPeer().lan().isEnabled());
        assertEquals("none", ServerConfig.describeListeners(transport));
    }

    @Test
    void theSamePortIsAllowedOnDifferentInterfacesOrWithOneListenerOff() {
        // when
        ServerConfig separate = ServerConfig.parse(Map.of("database_id", ID, "tcp.interface", "127.0.0.1",
                "http.interface", "127.0.0.2", "tcp.port", "9000", "http.port", "9000"), HOME);
        ServerConfig httpOff = ServerConfig.parse(Map.of("database_id", ID, "tcp.port", "8080",
                "http.enabled", "false"), HOME);

        // then
        assertEquals(9000, separate.tcp().port());
        assertEquals(8080, httpOff.tcp().port());
    }

    @Test
    void snakeCaseSettingNamesBecomeCamelCase() {
        assertEquals("hs256Secret", ServerConfig.camelCase("hs256_secret"));
        assertEquals("ed25519PublicKey", ServerConfig.camelCase("ed25519_public_key"));
        assertEquals("timeoutMillis", ServerConfig.camelCase("timeout_millis"));
        assertEquals("expirationSeconds", ServerConfig.camelCase("expiration_seconds"));
        assertEquals("hs256Secret", ServerConfig.camelCase("hs256Secret"));
        assertEquals("url", ServerConfig.camelCase("url"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "database_id         | abc        | key 'database_id': expected a UUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx, hexadecimal digits), got 'abc'",
        "tcp.enabled         | yes        | key 'tcp.enabled': expected true or false, got 'yes'",
        "tcp.interface       | eth0       | key 'tcp.interface': expected an IP address, or [::] for all interfaces, got 'eth0'",
        "tcp.interface       | 300.1.2.3  | key 'tcp.interface': expected an IP address, or [::] for all interfaces, got '300.1.2.3'",
        "tcp.port            | abc        | key 'tcp.port': expected an integer 1-65535, got 'abc'",
        "tcp.port            | 0          | key 'tcp.port': expected an integer 1-65535, got '0'",
        "http.enabled        | 1          | key 'http.enabled': expected true or false, got '1'",
        "http.interface      | localhost  | key 'http.interface': expected an IP address, or [::] for all interfaces, got 'localhost'",
        "http.port           | abc        | key 'http.port': expected an integer 1-65535, got 'abc'",
        "http.port           | 65536      | key 'http.port': expected an integer 1-65535, got '65536'",
        "http.port           | -1         | key 'http.port': expected an integer 1-65535, got '-1'",
        "http.port           | 80.5       | key 'http.port': expected an integer 1-65535, got '80.5'",
        "http.websocket_sync | on         | key 'http.websocket_sync': expected true or false, got 'on'",
        "lan.enabled         | enabled    | key 'lan.enabled': expected true or false, got 'enabled'",
        "development_mode    | maybe      | key 'development_mode': expected true or false, got 'maybe'",
        "htpp.port           | 8080       | key 'htpp.port' is not a setting of the server peer (known: database_id, directory, tcp.enabled, tcp.interface, tcp.port, http.enabled, http.interface, http.port, http.websocket_sync, http.static_content_path, http.tls_key_path, http.tls_certificate_path, lan.enabled, development_mode, identity.<name>.<setting>, storage.<option>)",
        "identity.jwt        | x          | key 'identity.jwt': expected identity.<name>.<setting> (name of letters, digits, '_' and '-'; setting of letters, digits and '_'), for example identity.jwt.hs256_secret",
        "identity.a b.url    | x          | key 'identity.a b.url': expected identity.<name>.<setting> (name of letters, digits, '_' and '-'; setting of letters, digits and '_'), for example identity.jwt.hs256_secret",
        "identity.jwt.a.b    | x          | key 'identity.jwt.a.b': expected identity.<name>.<setting> (name of letters, digits, '_' and '-'; setting of letters, digits and '_'), for example identity.jwt.hs256_secret",
        "storage.            | x          | key 'storage.': expected storage.<option>, for example storage.provider",
    })
    void badValueIsRefusedWithAMessageNamingTheKey(String key, String value, String message) {
        // given
        Map<String, Object> properties = new HashMap<>(Map.of("database_id", ID));
        properties.put(key, value);

        // when
        DittoException e = assertThrows(DittoException.class, () -> ServerConfig.parse(properties, HOME));

        // then
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertEquals(message, e.getMessage());
    }

    @Test
    void missingDatabaseIdIsRefused() {
        // when
        DittoException e = assertThrows(DittoException.class,
                () -> ServerConfig.parse(Map.of("tcp.port", "4040", "database_id", " "), HOME));

        // then
        assertEquals("key 'database_id' is required: the id (a UUID) of the database this server serves", e.getMessage());
    }

    @Test
    void typedValuesOutOfRangeOrOfTheWrongShapeAreRefused() {
        assertEquals("key 'tcp.port': expected an integer 1-65535, got '70000'",
                refusal(Map.of("database_id", ID, "tcp.port", 70000)));
        assertEquals("key 'tcp.port': expected a single value, got a list of values",
                refusal(Map.of("database_id", ID, "tcp.port", new String[] {"4040", "4041"})));
        assertEquals("key 'identity.jwt.hs256_secret': expected a single value, got a list of values",
                refusal(Map.of("database_id", ID, "identity.jwt.hs256_secret", List.of("a", "b"))));
        assertEquals("key 'identity.dev.type': expected the id of an identity provider, such as jwt, webhook or"
                + " __ditto_dev_provider, got '5'", refusal(Map.of("database_id", ID, "identity.dev.type", 5)));
    }

    @Test
    void aDirectoryThatIsNoPathIsRefused() {
        assertEquals("key 'directory': expected a path, got 'a\0b' (Nul character not allowed)",
                refusal(Map.of("database_id", ID, "directory", "a\0b")));
    }

    @Test
    void staticContentAndTlsFilesMustExist() throws IOException {
        // given
        Path file = Files.writeString(temp.resolve("key.pem"), "key");
        Path missing = temp.resolve("missing.pem");

        // then
        assertEquals("key 'http.static_content_path': expected an existing directory, got '" + file + "'",
                refusal(Map.of("database_id", ID, "http.static_content_path", file.toString())));
        assertEquals("key 'http.tls_key_path': expected a readable file, got '" + missing + "'",
                refusal(Map.of("database_id", ID, "http.tls_key_path", missing.toString(),
                        "http.tls_certificate_path", file.toString())));
        assertEquals("key 'http.tls_certificate_path': expected a readable file, got '" + temp + "'",
                refusal(Map.of("database_id", ID, "http.tls_key_path", file.toString(),
                        "http.tls_certificate_path", temp.toString())));
    }

    @Test
    void tlsNeedsBothTheKeyAndTheCertificate() throws IOException {
        // given
        Path file = Files.writeString(temp.resolve("key.pem"), "key");

        // then
        assertEquals("key 'http.tls_key_path' is set but 'http.tls_certificate_path' is not: HTTPS needs both the key"
                + " and the certificate", refusal(Map.of("database_id", ID, "http.tls_key_path", file.toString())));
        assertEquals("key 'http.tls_certificate_path' is set but 'http.tls_key_path' is not: HTTPS needs both the key"
                + " and the certificate",
                refusal(Map.of("database_id", ID, "http.tls_certificate_path", file.toString())));
    }

    @Test
    void bothListenersOnTheSamePortAreRefused() {
        assertEquals("keys 'tcp.port' and 'http.port': both listeners would use port 8080 (on [::] and [::]); choose"
                + " different ports", refusal(Map.of("database_id", ID, "tcp.port", "8080")));
        assertEquals("keys 'tcp.port' and 'http.port': both listeners would use port 4040 (on 127.0.0.1 and [::]);"
                + " choose different ports",
                refusal(Map.of("database_id", ID, "tcp.interface", "127.0.0.1", "http.port", "4040")));
    }

    @Test
    void oneSettingGivenInBothSpellingsIsRefused() {
        assertEquals("keys 'identity.jwt.hs256Secret' and 'identity.jwt.hs256_secret' set the same setting hs256Secret"
                + " of identity provider 'jwt'; keep one", refusal(Map.of("database_id", ID,
                        "identity.jwt.hs256_secret", "a", "identity.jwt.hs256Secret", "b")));
    }

    @Test
    void unknownKeysAreReportedBeforeOtherProblems() {
        assertEquals("key 'databse_id' is not a setting of the server peer", refusal(Map.of("databse_id", ID))
                .replaceFirst(" \\(known: .*", ""));
    }

    @Test
    void aLongBadValueIsShortenedInTheMessage() {
        String message = refusal(Map.of("database_id", ID, "tcp.port", "9".repeat(100)));
        assertEquals("key 'tcp.port': expected an integer 1-65535, got '" + "9".repeat(60) + "…'", message);
    }

    private static String refusal(Map<String, ?> properties) {
        DittoException e = assertThrows(DittoException.class, () -> ServerConfig.parse(properties, HOME));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        return e.getMessage();
    }
}
