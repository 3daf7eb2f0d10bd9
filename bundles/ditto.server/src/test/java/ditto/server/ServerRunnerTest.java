package ditto.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.BooleanSupplier;
import java.util.function.Function;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoFactory;
import ditto.api.DittoLogger;
import ditto.api.LogLevel;
import ditto.api.QueryResult;

/**
 * The runner over the real engine (module path, {@link ServiceLoader}), the memory backend, the
 * LAN and WebSocket transports and the identity providers: real listeners on loopback, real
 * directories in a temporary folder.
 */
class ServerRunnerTest {

    private static final String ID = "4f5c7e41-eaf9-4b56-8582-2250b38f2e2d";
    private static final String ORIGIN = "PID ditto.server, file /opt/ditto/conf/ditto.server.cfg";
    private static final long WAIT_MILLIS = 10_000;

    @TempDir
    Path temp;

    private final DittoFactory engine = ServiceLoader.load(DittoFactory.class).findFirst()
            .orElseThrow(() -> new AssertionError("the engine is a test dependency"));
    private final List<String> errors = Collections.synchronizedList(new ArrayList<>());
    private final List<ServerRunner> runners = new ArrayList<>();

    @BeforeEach
    void captureErrors() {
        DittoLogger.setCustomLogCallback((level, message) -> {
            if (level == LogLevel.ERROR && message.startsWith("ditto.server:")) {
                errors.add(message);
            }
        });
    }

    @AfterEach
    void closeRunners() {
        runners.forEach(ServerRunner::close);
        DittoLogger.setCustomLogCallback(null);
    }

    @Test
    void opensAServerPeerThatListensOnTcpAndHttpAndSyncs() throws IOException {
        // given
        int tcpPort = freePort();
        int httpPort = freePort();
        Map<String, Object> properties = serverProperties(tcpPort, httpPort);
        properties.remove("directory");
        properties.put("identity.__ditto_dev_provider.expiration_seconds", "3600");
        ServerRunner runner = runner(name -> name.equals("ditto.home") ? temp.toString() : null);

        // when
        boolean running = runner.apply(properties, ORIGIN);

        // then the instance runs in <ditto.home>/server-data with sync on
        assertTrue(running, () -> runner.status());
        Ditto ditto = runner.instance().orElseThrow();
        assertEquals(ID, ditto.databaseId());
        assertEquals(temp.resolve("server-data").toAbsolutePath().normalize(), ditto.absolutePersistenceDirectory());
        assertTrue(ditto.sync().isActive());
        assertEquals(Map.of("development_mode", true, "identity_providers",
                Map.of("__ditto_dev_provider", Map.of("expirationSeconds", "3600"))),
                ditto.config().experimental().get("server"));
        assertEquals("memory", ditto.config().experimental().get("storage.provider"));
        // and both listeners accept connections
        awaitAccepting(tcpPort);
        awaitAccepting(httpPort);
        // and the store works
        ditto.store().execute("INSERT INTO cars DOCUMENTS (:car)", Map.of("car", Map.of("_id", "c1"))).close();
        try (QueryResult result = ditto.store().execute("SELECT * FROM cars")) {
            assertEquals(1, result.items().size());
        }
        assertEquals(List.of(), errors);
    }

    @Test
    void statusShowsTheDatabaseListenersPeersAndDevelopmentMode() {
        // given
        int tcpPort = freePort();
        int httpPort = freePort();
        ServerRunner runner = runner(name -> null);
        runner.apply(serverProperties(tcpPort, httpPort), ORIGIN);
        Ditto ditto = runner.instance().orElseThrow();

        // when
        List<String> status = runner.status().lines().toList();

        // then
        assertEquals(List.of(
                "server peer: running",
                "database: " + ID + " at " + ditto.absolutePersistenceDirectory(),
                "sync: active",
                "listening: tcp 127.0.0.1:" + tcpPort + ", http 127.0.0.1:" + httpPort + " (websocket sync)",
                "lan discovery: off",
                "peers: 0 in the mesh, 0 connected directly",
                "development mode: on",
                "identity providers: none",
                "configuration: " + ORIGIN), status);
    }

    @Test
    void badValueLogsOneErrorNamingTheKeyAndTheFileAndLeavesNoInstance() {
        // given
        Map<String, Object> properties = serverProperties(freePort(), freePort());
        properties.put("http.port", "abc");
        ServerRunner runner = runner(name -> null);

        // when
        boolean running = runner.apply(properties, ORIGIN);

        // then
        assertFalse(running);
        assertTrue(runner.instance().isEmpty());
        assertEquals(List.of("ditto.server: key 'http.port': expected an integer 1-65535, got 'abc' [" + ORIGIN
                + "]; no server peer is running"), errors);
        assertEquals(List.of("server peer: not running: key 'http.port': expected an integer 1-65535, got 'abc'",
                "configuration: " + ORIGIN), runner.status().lines().toList());
    }

    @Test
    void reconfigurationClosesTheInstanceAndOpensOneWithTheNewSettings() throws IOException {
        // given a running server on one port
        int firstPort = freePort();
        int secondPort = freePort();
        ServerRunner runner = runner(name -> null);
        runner.apply(serverProperties(firstPort, freePort()), ORIGIN);
        Ditto first = runner.instance().orElseThrow();
        awaitAccepting(firstPort);

        // when
        boolean running = runner.apply(serverProperties(secondPort, freePort()), ORIGIN);

        // then
        assertTrue(running, () -> runner.status());
        assertTrue(first.isClosed());
        Ditto second = runner.instance().orElseThrow();
        assertFalse(second.isClosed());
        assertEquals(secondPort, second.transportConfig().listen().tcp().port());
        awaitAccepting(secondPort);
        await("the first instance's listener on port " + firstPort + " to close", () -> !accepts(firstPort));
    }

    @Test
    void badReconfigurationClosesTheRunningInstanceAndAGoodOneOpensAgain() {
        // given
        ServerRunner runner = runner(name -> null);
        runner.apply(serverProperties(freePort(), freePort()), ORIGIN);
        Ditto first = runner.instance().orElseThrow();
        Map<String, Object> bad = serverProperties(freePort(), freePort());
        bad.put("lan.enabled", "yes");

        // when
        boolean badApplied = runner.apply(bad, ORIGIN);
        boolean goodApplied = runner.apply(serverProperties(freePort(), freePort()), ORIGIN);

        // then
        assertFalse(badApplied);
        assertTrue(first.isClosed());
        assertEquals(List.of("ditto.server: key 'lan.enabled': expected true or false, got 'yes' [" + ORIGIN
                + "]; no server peer is running"), errors);
        assertTrue(goodApplied, () -> runner.status());
        assertTrue(runner.instance().orElseThrow().sync().isActive());
    }

    @Test
    void anInstanceThatCannotOpenIsLoggedOnceAndLeavesNoInstance() {
        // given a second server for the same directory while the first holds it
        Map<String, Object> properties = serverProperties(freePort(), freePort());
        ServerRunner first = runner(name -> null);
        assertTrue(first.apply(properties, ORIGIN), () -> first.status());
        ServerRunner second = runner(name -> null);

        // when
        boolean running = second.apply(serverProperties(freePort(), freePort()), "PID ditto.server");

        // then
        assertFalse(running);
        assertTrue(second.instance().isEmpty());
        assertEquals(1, errors.size(), () -> errors.toString());
        String error = errors.get(0);
        assertTrue(error.startsWith("ditto.server: opening database " + ID + " in " + temp.resolve("data")
                + " failed: (persistence_directory) "), error);
        assertTrue(error.endsWith(" [PID ditto.server]; no server peer is running"), error);
        assertTrue(second.status().startsWith("server peer: not running: opening database " + ID), second.status());
    }

    @Test
    void closeClosesTheInstance() {
        // given
        ServerRunner runner = runner(name -> null);
        runner.apply(serverProperties(freePort(), freePort()), ORIGIN);
        Ditto ditto = runner.instance().orElseThrow();

        // when
        runner.close();

        // then
        assertTrue(ditto.isClosed());
        assertTrue(runner.instance().isEmpty());
        assertEquals("server peer: not running: stopped", runner.status().lines().findFirst().orElseThrow());
    }

    /** Properties of a server on loopback in development mode with the memory backend in temp/data. */
    private Map<String, Object> serverProperties(int tcpPort, int httpPort) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("database_id", ID);
        properties.put("directory", temp.resolve("data").toString());
        properties.put("tcp.interface", "127.0.0.1");
        properties.put("tcp.port", String.valueOf(tcpPort));
        properties.put("http.interface", "127.0.0.1");
        properties.put("http.port", String.valueOf(httpPort));
        properties.put("development_mode", "true");
        properties.put("storage.provider", "memory");
        properties.put("service.pid", "ditto.server");
        return properties;
    }

    private ServerRunner runner(Function<String, String> frameworkProperties) {
        ServerRunner runner = new ServerRunner(engine, frameworkProperties);
        runners.add(runner);
        return runner;
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new AssertionError("no free port", e);
        }
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static void awaitAccepting(int port) {
        await("a listener on 127.0.0.1:" + port, () -> accepts(port));
    }

    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + WAIT_MILLIS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("waited " + WAIT_MILLIS + " ms for " + what);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }
}
