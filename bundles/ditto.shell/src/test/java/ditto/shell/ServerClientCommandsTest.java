package ditto.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoFactory;
import ditto.api.QueryResult;
import ditto.api.TransportConfig;

/**
 * The shell as a client of a server peer, end to end: a server peer opened through the real
 * engine in the same JVM (HTTP/WebSocket listener on loopback, the development identity
 * provider of {@code ditto.auth}) and a shell that opens a client with {@code open --server},
 * logs in, subscribes, syncs, and logs out; a server outside development mode refusing the
 * development provider; and the login commands on a database that is no client.
 */
class ServerClientCommandsTest {

    private static final String DATABASE_ID = "6c1d3a52-93f0-4b43-9f5e-3d1b2f0a7c11";
    private static final long TIMEOUT_MILLIS = 30_000;

    @TempDir
    Path temp;

    private final DittoFactory engine = ServiceLoader.load(DittoFactory.class).findFirst()
            .orElseThrow(() -> new AssertionError("the engine is not on the test module path"));
    private final BlockingQueue<String> delivered = new LinkedBlockingQueue<>();
    private final DittoCommands shell = new DittoCommands(engine, null, delivered::add);
    private final List<Ditto> servers = new ArrayList<>();

    @AfterEach
    void closeAll() {
        shell.close();
        servers.forEach(Ditto::close);
    }

    @Test
    void clientLogsInWithTheDevelopmentProviderAndSyncsWithTheServer() throws Exception {
        // given a server peer in development mode holding a car, and a client opened by the shell
        int port = freeLoopbackPort();
        Ditto server = server(port, true);
        server.store().execute("INSERT INTO cars DOCUMENTS ({'_id':'from-server','color':'red'})").close();
        String url = "http://127.0.0.1:" + port;
        Reply opened = run("open --server " + url + " " + temp.resolve("client") + " " + DATABASE_ID);
        assertTrue(opened.ok(), opened.text());
        assertTrue(opened.text().endsWith("(client of server " + url + "; not logged in; run login <token> [provider])"),
                opened.text());

        // when it subscribes and starts sync before logging in
        assertEquals("subscription 1 registered: SELECT * FROM cars", run("subscribe SELECT * FROM cars").text());
        assertEquals("sync started (server " + url + "; transport: lan=off listen=off connect=[])",
                run("sync start").text());

        // then the engine asks for a login through the shell's handler, and nothing arrives
        assertEquals("auth: the server asks for a login (no valid credentials); run: login <token> [provider]",
                nextDelivery());
        assertTrue(run("query SELECT * FROM cars").text().startsWith("-- 0 items"));
        assertTrue(run("status").text().lines().anyMatch(("server: " + url + " (not logged in)")::equals));

        // when the user logs in with the development provider
        Reply login = run("login anything");

        // then the client is logged in as the token's user and the server's car arrives
        assertEquals("logged in to " + url + " as anything (provider __ditto_dev_provider)", login.text());
        awaitReply("the client holds the server's car", () -> run("query SELECT * FROM cars"),
                text -> text.contains("\"_id\":\"from-server\""));
        assertEquals(List.of("server: " + url, "authenticated: true", "user id: anything", "client info: {}"),
                run("auth").text().lines().toList());
        assertTrue(run("sync status").text().lines().anyMatch(("server: " + url + " (logged in as anything)")::equals));

        // and a car written on the client reaches the server (development logins may write everything)
        assertTrue(run("query INSERT INTO cars DOCUMENTS ({'_id':'from-client','color':'blue'})").ok());
        awaitTrue("the server holds the client's car", () -> count(server, "SELECT * FROM cars WHERE _id = 'from-client'") == 1);

        // when the user logs out
        Reply logout = run("logout");

        // then sync stopped, the credentials are gone and the data stayed
        assertEquals("logged out anything from " + url + "; sync stopped; credentials forgotten; local data kept",
                logout.text());
        String syncStatus = run("sync status").text();
        assertTrue(syncStatus.startsWith("sync: stopped\nserver: " + url + " (not logged in)"), syncStatus);
        assertTrue(run("auth status").text().contains("authenticated: false"));
        String cars = run("query SELECT * FROM cars").text();
        assertTrue(cars.lines().anyMatch(line -> line.matches("-- 2 items(, commit \\d+)?")), cars);
    }

    @Test
    void serverOutsideDevelopmentModeRefusesTheDevelopmentProvider() throws Exception {
        // given a server peer without development mode and a client of it
        int port = freeLoopbackPort();
        server(port, false);
        assertTrue(run("open --server http://127.0.0.1:" + port + " " + temp.resolve("client") + " " + DATABASE_ID).ok());

        // when
        Reply reply = run("login anything");

        // then the engine's authentication error with the server's reason is printed, and the client stays out
        assertFalse(reply.ok());
        assertTrue(reply.text().startsWith("error (authentication): "), reply.text());
        assertTrue(reply.text().contains("development mode"), reply.text());
        assertTrue(run("auth").text().contains("authenticated: false"));
    }

    @Test
    void loginOnADatabaseThatIsNoClientSaysHowToOpenOne() {
        // given a small peer opened by the shell
        assertTrue(run("open " + temp.resolve("peer")).ok());

        // when
        Reply reply = run("login anything");

        // then
        assertEquals("error (authenticator_not_available): login: the open database is not a client of a server;"
                + " open it with --server URL", reply.text());
    }

    // ---- fixtures ------------------------------------------------------------------------------

    private Reply run(String line) {
        return CommandLine.runLine(shell, line);
    }

    /** A server peer on the real engine listening for HTTP and WebSocket sync on a loopback port. */
    private Ditto server(int port, boolean developmentMode) throws InterruptedException {
        Ditto server = engine.open(DittoConfig.defaults().withDatabaseId(DATABASE_ID)
                .withPersistenceDirectory(temp.resolve("server"))
                .withExperimental(Map.of("server", Map.of("development_mode", developmentMode))));
        servers.add(server);
        server.setTransportConfig(TransportConfig.defaults().disableAllPeerToPeer().enableHttpListen("127.0.0.1", port, true));
        server.sync().start();
        awaitTrue("the server listens on port " + port, () -> accepts(port));
        return server;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freeLoopbackPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static int count(Ditto ditto, String dql) {
        try (QueryResult result = ditto.store().execute(dql)) {
            return result.itemCount();
        }
    }

    private String nextDelivery() throws InterruptedException {
        String block = delivered.poll(TIMEOUT_MILLIS, TimeUnit.MILLISECONDS);
        if (block == null) {
            throw new AssertionError("nothing delivered within " + TIMEOUT_MILLIS + " ms");
        }
        return block;
    }

    private static void awaitTrue(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        while (!condition.get()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(50);
        }
    }

    private static String awaitReply(String what, Supplier<Reply> command, Predicate<String> done)
            throws InterruptedException {
        long deadline = System.currentTimeMillis() + TIMEOUT_MILLIS;
        String last = "";
        while (System.currentTimeMillis() < deadline) {
            last = command.get().text();
            if (done.test(last)) {
                return last;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting until " + what + "; last reply:\n" + last);
    }
}
