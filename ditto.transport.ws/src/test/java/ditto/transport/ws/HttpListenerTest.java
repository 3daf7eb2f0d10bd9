package ditto.transport.ws;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.TransportConfig;
import ditto.api.spi.transport.DiscoveredPeer;
import ditto.api.spi.transport.HttpRequest;
import ditto.api.spi.transport.HttpResponse;
import ditto.api.spi.transport.Link;
import ditto.api.spi.transport.LinkHandler;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportListener;
import ditto.api.spi.transport.TransportParameters;
import ditto.testkit.transport.RecordedLink;
import ditto.testkit.transport.RecordingTransportListener;

/**
 * The listener's plain HTTP side over real loopback sockets: static files, the engine's
 * endpoints, hostile requests, TLS, and WebSocket sync on the same port.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HttpListenerTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    private static final String DATABASE = "db-http-test";
    private static final String SECRET = "TOP-SECRET-OUTSIDE-THE-FOLDER";
    private static final String INDEX = "<!doctype html><title>app</title>";
    private static final AtomicInteger PEERS = new AtomicInteger();

    @TempDir
    Path dir;
    private Path www;
    private Path secret;
    private final List<Transport> transports = new CopyOnWriteArrayList<>();

    /** A listener that records links and HTTP requests and answers requests as a test says. */
    static final class EngineListener implements TransportListener {
        final RecordingTransportListener links = new RecordingTransportListener();
        final BlockingQueue<HttpRequest> requests = new LinkedBlockingQueue<>();
        volatile Function<HttpRequest, HttpResponse> answer = r -> HttpResponse.json(200, "{\"token\":\"t0k3n\"}");

        @Override
        public LinkHandler onLinkOpened(Link link) {
            return links.onLinkOpened(link);
        }

        @Override
        public void onPeerDiscovered(DiscoveredPeer peer) {
            links.onPeerDiscovered(peer);
        }

        @Override
        public void onPeerLost(String endpoint) {
            links.onPeerLost(endpoint);
        }

        @Override
        public HttpResponse onHttpRequest(HttpRequest request) {
            requests.add(request);
            return answer.apply(request);
        }
    }

    /** A response as read off the socket. */
    record Reply(int status, Map<String, String> headers, byte[] body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    @BeforeEach
    void makeFolder() throws IOException {
        www = Files.createDirectory(dir.resolve("www"));
        secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        Files.writeString(dir.resolve("www-secret.txt"), SECRET);
        Files.writeString(www.resolve("index.html"), INDEX);
        Files.writeString(www.resolve("app.js"), "console.log('hi');");
        Files.writeString(www.resolve("app.mjs"), "export default 1;");
        Files.writeString(www.resolve("style.css"), "body{}");
        Files.writeString(www.resolve("data.json"), "{\"a\":1}");
        Files.writeString(www.resolve("app.js.map"), "{}");
        Files.writeString(www.resolve("logo.svg"), "<svg/>");
        Files.write(www.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Files.write(www.resolve("photo.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8});
        Files.write(www.resolve("anim.gif"), "GIF89a".getBytes(StandardCharsets.US_ASCII));
        Files.write(www.resolve("favicon.ico"), new byte[] {0, 0, 1, 0});
        Files.write(www.resolve("module.wasm"), new byte[] {0, 'a', 's', 'm'});
        Files.writeString(www.resolve("notes.txt"), "notes");
        Files.write(www.resolve("blob.bin"), new byte[] {1, 2, 3});
        Files.writeString(www.resolve("a file.txt"), "spaced");
        Files.writeString(www.resolve("caf\u00e9.txt"), "accent");
        Files.writeString(www.resolve(".env"), SECRET);
        Files.createDirectories(www.resolve("sub"));
        Files.writeString(www.resolve("sub").resolve("index.html"), "<p>sub</p>");
        Files.writeString(www.resolve("sub").resolve("page.txt"), "page");
        Files.createDirectories(www.resolve("empty"));
        Files.writeString(www.resolve("empty").resolve("other.txt"), "not an index");
        Files.createDirectories(www.resolve("a"));
    }

    @AfterEach
    void closeTransports() {
        for (Transport transport : transports) {
            transport.close();
        }
    }

    private Transport start(TransportConfig config, TransportListener listener) {
        int n = PEERS.incrementAndGet();
        Transport transport = new WsTransportProvider().create(new TransportParameters(DATABASE, "pkAhttp" + n,
                "http-device-" + n, config, listener));
        transports.add(transport);
        transport.start();
        return transport;
    }

    private static int port(Transport transport) {
        int port = ((WsTransport) transport).listeningPort();
        assertTrue(port > 0, "not listening: " + transport.status());
        return port;
    }

    private TransportConfig serverConfig() {
        return TransportConfig.defaults().enableHttpListen("127.0.0.1", 0, true).setStaticContentPath(www.toString());
    }

    // ------------------------------------------------------------ raw HTTP client

    private static Reply raw(int port, String request) throws IOException {
        return raw(port, request.getBytes(StandardCharsets.ISO_8859_1), !request.startsWith("HEAD "));
    }

    private static Reply raw(int port, byte[] request, boolean bodyExpected) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return exchange(socket, request, bodyExpected);
        }
    }

    private static Reply rawTls(int port, SSLContext tls, String request) throws IOException {
        try (SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
            return exchange(socket, request.getBytes(StandardCharsets.ISO_8859_1), true);
        }
    }

    /** Sends a request, reads one response (by its Content-Length) and checks that the server then closes. */
    private static Reply exchange(Socket socket, byte[] request, boolean bodyExpected) throws IOException {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request);
        out.flush();
        InputStream in = new BufferedInputStream(socket.getInputStream());
        Reply reply = readReply(in, bodyExpected);
        if (!"close".equalsIgnoreCase(reply.header("connection"))) {
            throw new AssertionError("no Connection: close in " + reply.headers());
        }
        return reply;
    }

    private static Reply readReply(InputStream in, boolean bodyExpected) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the server closed before the end of the response head: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
        String[] statusLine = lines[0].split(" ", 3);
        assertEquals("HTTP/1.1", statusLine[0], lines[0]);
        Map<String, String> headers = new TreeMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = bodyExpected ? in.readNBytes(length) : new byte[0];
        assertEquals(bodyExpected ? length : 0, body.length, "short body");
        return new Reply(Integer.parseInt(statusLine[1]), headers, body);
    }

    /** Asserts that the server closes the connection within a few seconds. */
    private static void assertClosedByServer(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        try {
            assertEquals(-1, socket.getInputStream().read(), "the server sent more after the response");
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server did not close the connection after the response");
        }
    }

    private static void assertFileReply(Reply reply, String type, byte[] content) {
        assertEquals(200, reply.status(), reply.text());
        assertEquals(type, reply.header("content-type"));
        assertEquals(String.valueOf(content.length), reply.header("content-length"));
        assertEquals("nosniff", reply.header("x-content-type-options"));
        assertArrayEquals(content, reply.body());
    }

    private static void assertNoSecret(String what, Reply reply) {
        String text = reply.text();
        assertFalse(text.contains(SECRET), what + " served the secret: " + text);
        assertFalse(text.contains("root:"), what + " served /etc/passwd: " + text);
    }

    // ------------------------------------------------------------ static files

    @Test
    void servesFilesWithTheirMediaTypeLengthAndNosniff() throws Exception {
        int port = port(start(serverConfig(), new EngineListener()));
        Map<String, String> types = Map.ofEntries(Map.entry("/index.html", "text/html; charset=utf-8"),
                Map.entry("/app.js", "text/javascript; charset=utf-8"),
                Map.entry("/app.mjs", "text/javascript; charset=utf-8"),
                Map.entry("/style.css", "text/css; charset=utf-8"), Map.entry("/data.json", "application/json"),
                Map.entry("/app.js.map", "application/json"), Map.entry("/logo.svg", "image/svg+xml"),
                Map.entry("/logo.png", "image/png"), Map.entry("/photo.jpg", "image/jpeg"),
                Map.entry("/anim.gif", "image/gif"), Map.entry("/favicon.ico", "image/x-icon"),
                Map.entry("/module.wasm", "application/wasm"), Map.entry("/notes.txt", "text/plain; charset=utf-8"),
                Map.entry("/blob.bin", "application/octet-stream"));
        for (Map.Entry<String, String> entry : types.entrySet()) {
            Reply reply = raw(port, "GET " + entry.getKey() + "?v=1 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertFileReply(reply, entry.getValue(), Files.readAllBytes(www.resolve(entry.getKey().substring(1))));
        }
        assertEquals("spaced", raw(port, "GET /a%20file.txt HTTP/1.1\r\nHost: x\r\n\r\n").text());
        assertEquals("accent", raw(port, "GET /caf%C3%A9.txt HTTP/1.1\r\nHost: x\r\n\r\n").text());
        assertEquals("page", raw(port, "GET http://example.com/sub/page.txt HTTP/1.1\r\nHost: x\r\n\r\n").text());
        assertEquals("page", raw(port, "GET /sub/page.txt HTTP/1.0\r\n\r\n").text());
    }

    @Test
    void aRealClientGetsAFileAndTheServerClosesAfterIt() throws Exception {
        int port = port(start(serverConfig(), new EngineListener()));
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/app.js").openConnection();
        assertEquals(200, connection.getResponseCode());
        assertEquals("text/javascript; charset=utf-8", connection.getContentType());
        try (InputStream in = connection.getInputStream()) {
            assertEquals("console.log('hi');", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        try (Socket socket = new Socket("127.0.0.1", port)) {
            exchange(socket, "GET / HTTP/1.1\r\nHost: x\r\nConnection: keep-alive\r\n\r\n".getBytes(StandardCharsets.US_ASCII), true);
            assertClosedByServer(socket);
        }
    }

    @Test
    void servesIndexHtmlForTheRootAndDirectoriesAndNeverListsOne() throws Exception {
        int port = port(start(serverConfig(), new EngineListener()));
        assertFileReply(raw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n"), "text/html; charset=utf-8",
                INDEX.getBytes(StandardCharsets.UTF_8));
        assertEquals("<p>sub</p>", raw(port, "GET /sub/ HTTP/1.1\r\nHost: x\r\n\r\n").text());
        Reply redirect = raw(port, "GET /sub?x=1 HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(301, redirect.status());
        assertEquals("/sub/", redirect.header("location"));
        Reply empty = raw(port, "GET /empty/ HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(404, empty.status());
        assertFalse(empty.text().contains("other.txt"), "a directory was listed: " + empty.text());
        assertEquals(404, raw(port, "GET /missing.html HTTP/1.1\r\nHost: x\r\n\r\n").status());
        assertEquals(404, raw(port, "GET /sub/missing/ HTTP/1.1\r\nHost: x\r\n\r\n").status());
        assertEquals(404, raw(port, "GET /index.html/ HTTP/1.1\r\nHost: x\r\n\r\n").status());
        Reply hidden = raw(port, "GET /.env HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(404, hidden.status());
        assertNoSecret("/.env", hidden);
    }

    @Test
    void headAnswersTheHeadersOfGetWithoutTheBody() throws Exception {
        int port = port(start(serverConfig(), new EngineListener()));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            Reply reply = exchange(socket, "HEAD /style.css HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII), false);
            assertEquals(200, reply.status());
            assertEquals("6", reply.header("content-length"));
            assertEquals("text/css; charset=utf-8", reply.header("content-type"));
            assertClosedByServer(socket);
        }
    }

    @Test
    void answers404WithoutStaticContentAndForAFolderThatDoesNotExist() throws Exception {
        int port = port(start(TransportConfig.defaults().enableHttpListen("127.0.0.1", 0, true), new EngineListener()));
        assertEquals(404, raw(port, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").status());
        assertEquals(404, raw(port, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n").status());
        TransportConfig missing = TransportConfig.defaults().enableHttpListen("127.0.0.1", 0, true)
                .setStaticContentPath(dir.resolve("nowhere").toString());
        int other = port(start(missing, new EngineListener()));
        assertEquals(404, raw(other, "GET / HTTP/1.1\r\nHost: x\r\n\r\n").status());
    }

    @Test
    void refusesAStaticContentPathThatIsNoPathWithInvalidConfig() {
        TransportConfig config = TransportConfig.defaults().enableHttpListen("127.0.0.1", 0, true)
                .setStaticContentPath("www\0root");
        DittoException e = assertThrows(DittoException.class, () -> start(config, new EngineListener()));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains("static_content_path"), e.getMessage());
    }

    @Test
    void refusesAFileAboveTheSizeLimitWith413() throws Exception {
        try (RandomAccessFile big = new RandomAccessFile(www.resolve("big.bin").toFile(), "rw")) {
            big.setLength(StaticContent.MAX_FILE_BYTES + 1);
        }
        int port = port(start(serverConfig(), new EngineListener()));
        Reply reply = raw(port, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(413, reply.status());
        assertTrue(reply.body().length < 1000);
    }

    @Test
    void servesAFileChangedOrAddedWhileRunning() throws Exception {
        int port = port(start(serverConfig(), new EngineListener()));
        Files.writeString(www.resolve("late.txt"), "late");
        assertEquals("late", raw(port, "GET /late.txt HTTP/1.1\r\nHost: x\r\n\r\n").text());
        Files.writeString(www.resolve("late.txt"), "later");
        assertEquals("later", raw(port, "GET /late.txt HTTP/1.1\r\nHost: x\r\n\r\n").text());
    }

    // ------------------------------------------------------------ hostile paths

    @Test
    void neverServesAFileOutsideTheFolder() throws Exception {
        int port = port(start(serverConfig(), new EngineListener()));
        String absoluteSecret = secret.toAbsolutePath().toString().replace('\\', '/');
        List<String> targets = List.of("/../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/..%2fsecret.txt",
                "/..%2Fsecret.txt", "/a/../../secret.txt", "/sub/../../secret.txt", "/.%2e/secret.txt", "/%2e./secret.txt",
                "//etc/passwd", "/../../../../../../etc/passwd", "/..\\secret.txt", "/%5c..%5csecret.txt", "/..%5csecret.txt",
                "/%2e%2e%5csecret.txt", "/%00", "/index.html%00.txt", "/%252e%252e/secret.txt", "/..../secret.txt",
                "/%2e%2e%2f%2e%2e%2fsecret.txt", "/..;/secret.txt", "/%c0%ae%c0%ae/secret.txt", "/" + absoluteSecret,
                "/" + absoluteSecret.substring(1), "/file:" + absoluteSecret, "/C:/Windows/win.ini",
                "http://x/../secret.txt", "/../www-secret.txt", "/./../secret.txt", "/sub/./../..//secret.txt");
        for (String target : targets) {
            for (String method : List.of("GET", "HEAD")) {
                Reply reply = raw(port, method + " " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertTrue(reply.status() == 400 || reply.status() == 403 || reply.status() == 404,
                        method + " " + target + " was answered " + reply.status());
                assertNoSecret(target, reply);
            }
        }
        byte[] nul = "GET /index.html\0.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(400, raw(port, nul, true).status());
        assertEquals(200, raw(port, "GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n").status(), "the server broke");
    }

    @Test
    void followsSymbolicLinksOnlyWhileTheyStayInsideTheFolder() throws Exception {
        try {
            Files.createSymbolicLink(www.resolve("out.txt"), secret);
            Files.createSymbolicLink(www.resolve("outdir"), dir);
            Files.createSymbolicLink(www.resolve("in.txt"), www.resolve("notes.txt"));
            Files.createSymbolicLink(www.resolve("sub").resolve("up"), www);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links are not supported here: " + e);
        }
        int port = port(start(serverConfig(), new EngineListener()));
        for (String target : List.of("/out.txt", "/outdir/secret.txt", "/outdir/www-secret.txt", "/outdir/", "/outdir")) {
            Reply reply = raw(port, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(reply.status() == 403 || reply.status() == 404 || reply.status() == 301,
                    target + " was answered " + reply.status());
            assertNoSecret(target, reply);
        }
        assertEquals("notes", raw(port, "GET /in.txt HTTP/1.1\r\nHost: x\r\n\r\n").text());
        assertEquals("notes", raw(port, "GET /sub/up/notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").text());
    }

    @Test
    void aFolderThatIsItselfASymbolicLinkIsServedThroughItsRealPath() throws Exception {
        Path link = dir.resolve("www-link");
        try {
            Files.createSymbolicLink(link, www);
        } catch (UnsupportedOperationException | IOException e) {
            assumeTrue(false, "symbolic links are not supported here: " + e);
        }
        TransportConfig config = TransportConfig.defaults().enableHttpListen("127.0.0.1", 0, true)
                .setStaticContentPath(link.toString());
        int port = port(start(config, new EngineListener()));
        assertEquals("notes", raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").text());
        assertNoSecret("/../secret.txt", raw(port, "GET /../secret.txt HTTP/1.1\r\nHost: x\r\n\r\n"));
    }

    // ------------------------------------------------------------ malformed requests

    @Test
    void answersMalformedRequestsWith400AndKeepsServing() throws Exception {
        EngineListener listener = new EngineListener();
        int port = port(start(serverConfig(), listener));
        List<String> bad = List.of("GARBAGE\r\n\r\n", "GET\r\n\r\n", "GET /\r\n\r\n", "GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n",
                "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", " GET / HTTP/1.1\r\nHost: x\r\n\r\n", "\r\n\r\n",
                "GET / HTTP/1.1\r\n\r\n", "GET / HTTP/1.1\r\nHost: x\r\nNo colon\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\n folded: header\r\n\r\n", "GET / HTTP/1.1\r\nHost : x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nX: a\u0001b\r\n\r\n", "GET /%zz HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /%c3 HTTP/1.1\r\nHost: x\r\n\r\n", "GET relative HTTP/1.1\r\nHost: x\r\n\r\n", "GET / FTP/1.0\r\n\r\n",
                "GET /a#b HTTP/1.1\r\nHost: x\r\n\r\n", "G\u00e9T / HTTP/1.1\r\nHost: x\r\n\r\n",
                "POST /_ditto/x HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
                "POST /_ditto/x HTTP/1.1\r\nHost: x\r\nContent-Length: 1, 2\r\n\r\nab");
        for (String request : bad) {
            Reply reply = raw(port, request);
            assertEquals(400, reply.status(), "for " + request.replace("\r\n", "\\r\\n") + ": " + reply.text());
            assertEquals(200, raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status(), "after " + request);
        }
        assertEquals(505, raw(port, "GET / HTTP/2.0\r\nHost: x\r\n\r\n").status());
        byte[] tlsHello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        assertEquals(400, raw(port, tlsHello, true).status());
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = 'X';
        noise[1] = 0;
        assertEquals(400, raw(port, noise, true).status());
        assertEquals(431, raw(port, "GET / HTTP/1.1\r\nHost: x\r\nX: " + "a".repeat(PlainRequest.MAX_HEAD_BYTES) + "\r\n\r\n").status());
        assertEquals(431, raw(port, "GET / HTTP/1.1\r\nHost: x\r\n" + "X: a\r\n".repeat(PlainRequest.MAX_HEADERS + 1) + "\r\n").status());
        assertTrue(listener.requests.isEmpty(), "the engine saw " + listener.requests);
        assertEquals(200, raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status());
    }

    @Test
    void closesARefusedRequestsConnectionAfterTheLingerEvenIfTheClientKeepsItOpen() throws Exception {
        int port = port(start(serverConfig(), new EngineListener()));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            long start = System.nanoTime();
            Reply reply = exchange(socket, "BROKEN\r\n".getBytes(StandardCharsets.US_ASCII), true);
            assertEquals(400, reply.status());
            assertClosedByServer(socket);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(millis >= HttpService.LINGER_MS - 200, "closed after " + millis + " ms, before the linger");
        }
    }

    @Test
    void clientsThatVanishMidRequestOrMidResponseLeaveTheListenerWorking() throws Exception {
        Transport server = start(serverConfig(), new EngineListener());
        int port = port(server);
        Files.write(www.resolve("medium.bin"), new byte[4 << 20]);
        for (int i = 0; i < 10; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.setSoLinger(true, 0);
                String request = i % 2 == 0 ? "GET /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n" : "POST /_ditto/x HTTP/1.1\r\nHost: x\r\nContent-Length: 50\r\n\r\nabc";
                socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
                if (i % 4 == 0) {
                    assertTrue(socket.getInputStream().read() >= 0);
                }
            }
        }
        assertEquals(4 << 20, raw(port, "GET /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n").body().length);
        HttpService http = ((WsTransport) server).httpService();
        awaitTrue(() -> http.pendingResponseBytes() == 0, "still counted: " + http.pendingResponseBytes());
    }

    @Test
    void refusesFilesWith503WhileTooManyResponseBytesWaitForSlowReaders() throws Exception {
        long size = StaticContent.MAX_FILE_BYTES - 1024;
        try (RandomAccessFile big = new RandomAccessFile(www.resolve("big.bin").toFile(), "rw")) {
            big.setLength(size);
        }
        Transport server = start(serverConfig(), new EngineListener());
        int port = port(server);
        HttpService http = ((WsTransport) server).httpService();
        int fitting = (int) (HttpService.MAX_PENDING_RESPONSE_BYTES / (size + 1024));
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < fitting; i++) {
                Socket socket = new Socket("127.0.0.1", port);
                slow.add(socket);
                socket.getOutputStream().write("GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            awaitTrue(() -> http.pendingResponseBytes() >= fitting * size, "the slow readers' responses were not queued");
            Reply busy = raw(port, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n");
            assertEquals(503, busy.status());
            assertEquals(200, raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status(), "small files must still go out");
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
        awaitTrue(() -> http.pendingResponseBytes() == 0, "still counted: " + http.pendingResponseBytes());
        assertEquals(size, raw(port, "GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n").body().length);
    }

    @Test
    void aRequestSentByteByByteIsAnsweredAndAnUnfinishedOneDoesNotBlockOthers() throws Exception {
        int port = port(start(serverConfig(), new EngineListener()));
        try (Socket slow = new Socket("127.0.0.1", port); Socket idle = new Socket("127.0.0.1", port)) {
            idle.getOutputStream().write("GET /notes.txt HTTP/1.1\r\nHo".getBytes(StandardCharsets.US_ASCII));
            slow.setTcpNoDelay(true);
            OutputStream out = slow.getOutputStream();
            for (byte b : "GET /sub/page.txt HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)) {
                out.write(b);
                out.flush();
                Thread.sleep(2);
            }
            assertEquals("page", exchange(slow, new byte[0], true).text());
            assertEquals(200, raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status());
        }
    }

    @Test
    void refusesOtherMethodsWith405AndTheAllowedOnes() throws Exception {
        EngineListener listener = new EngineListener();
        int port = port(start(serverConfig(), listener));
        for (String method : List.of("PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "get", "POST")) {
            Reply reply = raw(port, method + " /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            assertEquals(405, reply.status(), method);
            assertEquals("GET, HEAD", reply.header("allow"), method);
        }
        for (String method : List.of("PUT", "DELETE", "HEAD", "OPTIONS")) {
            Reply reply = raw(port, method + " /_ditto/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
            assertEquals(405, reply.status(), method);
            assertEquals("GET, POST", reply.header("allow"), method);
        }
        assertTrue(listener.requests.isEmpty(), "the engine saw " + listener.requests);
    }

    // ------------------------------------------------------------ engine endpoints

    @Test
    void aLoginPostReachesTheEngineWithBodyAndHeadersAndItsAnswerComesBack() throws Exception {
        EngineListener listener = new EngineListener();
        listener.answer = r -> new HttpResponse(201, "application/json", "{\"jwt\":\"abc\"}".getBytes(StandardCharsets.UTF_8));
        int port = port(start(serverConfig(), listener));
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port
                + "/_ditto/auth/login?from=test").openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("Content-Type", "application/json");
        connection.setRequestProperty("X-Ditto-Test", "yes");
        byte[] body = "{\"user\":\"ann\",\"password\":\"p\u00e4ss\"}".getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        assertEquals(201, connection.getResponseCode());
        assertEquals("application/json", connection.getContentType());
        assertEquals("no-store", connection.getHeaderField("Cache-Control"));
        try (InputStream in = connection.getInputStream()) {
            assertEquals("{\"jwt\":\"abc\"}", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        HttpRequest request = listener.requests.poll(5, TimeUnit.SECONDS);
        assertNotNull(request);
        assertEquals("POST", request.method());
        assertEquals("/_ditto/auth/login", request.path());
        assertArrayEquals(body, request.body());
        assertEquals("application/json", request.header("content-type").orElseThrow());
        assertEquals("yes", request.header("X-Ditto-Test").orElseThrow());
        assertEquals(String.valueOf(body.length), request.header("Content-Length").orElseThrow());
        assertTrue(request.remoteAddress().startsWith("127.0.0.1:"), request.remoteAddress());
    }

    @Test
    void getUnderTheEnginePrefixReachesTheEngineWithTheDecodedPathAndNoStaticFileIsServedThere() throws Exception {
        Files.createDirectories(www.resolve("_ditto"));
        Files.writeString(www.resolve("_ditto").resolve("status"), SECRET);
        EngineListener listener = new EngineListener();
        listener.answer = r -> HttpResponse.text(200, "engine " + r.path());
        int port = port(start(serverConfig(), listener));
        Reply reply = raw(port, "GET /_ditto/status?x=%20 HTTP/1.1\r\nHost: x\r\nCookie: a=b\r\nCookie: c=d\r\n\r\n");
        assertEquals(200, reply.status());
        assertEquals("engine /_ditto/status", reply.text());
        HttpRequest request = listener.requests.poll(5, TimeUnit.SECONDS);
        assertEquals("GET", request.method());
        assertEquals(0, request.body().length);
        assertEquals("a=b, c=d", request.header("cookie").orElseThrow());
        assertEquals("engine /_ditto/a b", raw(port, "GET /%5Fditto/a%20b HTTP/1.1\r\nHost: x\r\n\r\n").text());
    }

    @Test
    void refusesABodyAboveTheLimitWith413BeforeTheEngineSeesIt() throws Exception {
        EngineListener listener = new EngineListener();
        int port = port(start(serverConfig(), listener));
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/_ditto/auth/login").openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        byte[] body = new byte[PlainRequest.MAX_BODY_BYTES + 1];
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        assertEquals(413, connection.getResponseCode());
        // the same with a body of several MiB that the client pushes while the answer comes
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /_ditto/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 4000000\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            for (int i = 0; i < 4_000_000 / chunk.length; i++) {
                out.write(chunk);
            }
            out.flush();
            Reply reply = readReply(new BufferedInputStream(socket.getInputStream()), true);
            assertEquals(413, reply.status());
        }
        assertEquals(200, raw(port, "POST /_ditto/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + PlainRequest.MAX_BODY_BYTES + "\r\n\r\n" + "a".repeat(PlainRequest.MAX_BODY_BYTES)).status());
        HttpRequest request = listener.requests.poll(5, TimeUnit.SECONDS);
        assertEquals(PlainRequest.MAX_BODY_BYTES, request.body().length);
        assertTrue(listener.requests.isEmpty(), "the engine saw an oversized body");
    }

    @Test
    void aPostWithoutContentLengthOrChunkedGets411() throws Exception {
        EngineListener listener = new EngineListener();
        int port = port(start(serverConfig(), listener));
        assertEquals(411, raw(port, "POST /_ditto/auth/login HTTP/1.1\r\nHost: x\r\n\r\n{\"a\":1}").status());
        assertEquals(411, raw(port, "POST /_ditto/auth/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3\r\nabc\r\n0\r\n\r\n").status());
        HttpURLConnection connection = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/_ditto/auth/login").openConnection();
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setChunkedStreamingMode(16);
        try (OutputStream out = connection.getOutputStream()) {
            out.write("{\"user\":\"a\"}".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(411, connection.getResponseCode());
        assertTrue(listener.requests.isEmpty(), "the engine saw " + listener.requests);
    }

    @Test
    void aBodyArrivingInPiecesIsWaitedFor() throws Exception {
        EngineListener listener = new EngineListener();
        int port = port(start(serverConfig(), listener));
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            out.write("POST /_ditto/auth/login HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n01234".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            Thread.sleep(200);
            assertNull(listener.requests.poll(), "the engine was called before the body was complete");
            Reply reply = exchange(socket, "56789".getBytes(StandardCharsets.US_ASCII), true);
            assertEquals(200, reply.status());
        }
        assertEquals("0123456789", new String(listener.requests.poll(5, TimeUnit.SECONDS).body(), StandardCharsets.US_ASCII));
    }

    @Test
    void aFailingOrMisbehavingEngineGets500AndTheListenerGoesOn() throws Exception {
        EngineListener listener = new EngineListener();
        listener.answer = r -> {
            throw new IllegalStateException("engine broke");
        };
        int port = port(start(serverConfig(), listener));
        assertEquals(500, raw(port, "GET /_ditto/x HTTP/1.1\r\nHost: x\r\n\r\n").status());
        listener.answer = r -> null;
        assertEquals(500, raw(port, "GET /_ditto/x HTTP/1.1\r\nHost: x\r\n\r\n").status());
        listener.answer = r -> new HttpResponse(200, "text/plain\r\nSet-Cookie: evil=1", new byte[] {'x'});
        Reply injected = raw(port, "GET /_ditto/x HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals("application/octet-stream", injected.header("content-type"));
        assertNull(injected.header("set-cookie"));
        listener.answer = r -> new HttpResponse(204, "text/plain", new byte[0]);
        Reply empty = raw(port, "GET /_ditto/x HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(204, empty.status());
        assertEquals(200, raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status());
    }

    @Test
    void aBlockingEngineHoldsNeitherStaticFilesNorWebSocketLinks() throws Exception {
        EngineListener listener = new EngineListener();
        CountDownLatch release = new CountDownLatch(1);
        listener.answer = r -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HttpResponse.json(200, "{}");
        };
        Transport server = start(serverConfig(), listener);
        int port = port(server);
        ExecutorService clients = Executors.newFixedThreadPool(SyncServer.DECODERS + 1);
        try {
            List<Future<Reply>> logins = new ArrayList<>();
            for (int i = 0; i < SyncServer.DECODERS + 1; i++) {
                logins.add(clients.submit(() -> raw(port, "POST /_ditto/auth/login HTTP/1.1\r\nHost: x\r\n"
                        + "Content-Length: 2\r\n\r\n{}")));
            }
            awaitTrue(() -> listener.requests.size() == SyncServer.DECODERS + 1, "the logins did not reach the engine");
            assertEquals(200, raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status());
            EngineListener clientListener = new EngineListener();
            start(TransportConfig.defaults().addWebsocketUrl("ws://127.0.0.1:" + port + "/sync"), clientListener);
            assertNotNull(clientListener.links.awaitLink(TIMEOUT), "no link while logins were blocked");
            release.countDown();
            for (Future<Reply> login : logins) {
                assertEquals(200, login.get(20, TimeUnit.SECONDS).status());
            }
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    @Test
    void answers503WhenTooManyRequestsWaitAndRecovers() throws Exception {
        EngineListener listener = new EngineListener();
        CountDownLatch release = new CountDownLatch(1);
        listener.answer = r -> {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return HttpResponse.json(200, "{}");
        };
        Transport server = start(serverConfig(), listener);
        int port = port(server);
        HttpService http = ((WsTransport) server).httpService();
        int accepted = HttpService.WORKERS + HttpService.QUEUE_LIMIT;
        ExecutorService clients = Executors.newFixedThreadPool(accepted);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < accepted; i++) {
                replies.add(clients.submit(() -> raw(port, "GET /_ditto/wait HTTP/1.1\r\nHost: x\r\n\r\n")));
            }
            awaitTrue(() -> listener.requests.size() == HttpService.WORKERS && http.waitingRequests() == HttpService.QUEUE_LIMIT,
                    "the workers and the queue did not fill: " + listener.requests.size() + " running, "
                    + http.waitingRequests() + " waiting");
            for (int i = 0; i < 3; i++) {
                Reply busy = raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n");
                assertEquals(503, busy.status());
                assertEquals("1", busy.header("retry-after"));
            }
            release.countDown();
            for (Future<Reply> reply : replies) {
                assertEquals(200, reply.get(20, TimeUnit.SECONDS).status());
            }
            assertEquals(200, raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status());
        } finally {
            release.countDown();
            clients.shutdownNow();
        }
    }

    // ------------------------------------------------------------ WebSocket on the same port

    @Test
    void aWebSocketSyncLinkOpensAndCarriesFramesWhileFilesAreServedOnTheSamePort() throws Exception {
        EngineListener serverListener = new EngineListener();
        int port = port(start(serverConfig(), serverListener));
        EngineListener clientListener = new EngineListener();
        TransportConfig clientConfig = TransportConfig.defaults().addWebsocketUrl("ws://127.0.0.1:" + port + "/any/path");
        start(clientConfig, clientListener);
        RecordedLink clientLink = clientListener.links.awaitLink(TIMEOUT);
        RecordedLink serverLink = serverListener.links.awaitLink(TIMEOUT);
        assertNotNull(clientLink);
        assertNotNull(serverLink);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        try {
            List<Future<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                String file = i % 2 == 0 ? "/app.js" : "/";
                replies.add(clients.submit(() -> raw(port, "GET " + file + " HTTP/1.1\r\nHost: x\r\n\r\n")));
            }
            for (int i = 0; i < 200; i++) {
                clientLink.link().send(ByteBuffer.wrap(new byte[] {(byte) i, 1}));
                serverLink.link().send(ByteBuffer.wrap(new byte[] {(byte) i, 2}));
            }
            for (int i = 0; i < 200; i++) {
                assertEquals(ByteBuffer.wrap(new byte[] {(byte) i, 1}), serverLink.awaitFrame(TIMEOUT));
                assertEquals(ByteBuffer.wrap(new byte[] {(byte) i, 2}), clientLink.awaitFrame(TIMEOUT));
            }
            for (Future<Reply> reply : replies) {
                assertEquals(200, reply.get(20, TimeUnit.SECONDS).status());
            }
        } finally {
            clients.shutdownNow();
        }
        assertTrue(serverLink.link().isOpen() && clientLink.link().isOpen());
        assertEquals(1, serverListener.links.links().size(), "plain HTTP connections became links");
        assertTrue(serverLink.violations().isEmpty(), serverLink.violations().toString());
        awaitTrue(() -> ((WsTransport) transports.get(0)).status().links().size() == 1,
                "status lists more than the link: " + transports.get(0).status());
    }

    @Test
    void withWebsocketSyncOffFilesAreServedAndUpgradesRefused() throws Exception {
        EngineListener serverListener = new EngineListener();
        TransportConfig config = TransportConfig.defaults().enableHttpListen("127.0.0.1", 0, false)
                .setStaticContentPath(www.toString());
        int port = port(start(config, serverListener));
        assertEquals(200, raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status());
        EngineListener clientListener = new EngineListener();
        TransportConfig clientConfig = TransportConfig.defaults().addWebsocketUrl("ws://127.0.0.1:" + port + "/sync");
        clientConfig.connect().setRetryInterval(Duration.ofMillis(200));
        start(clientConfig, clientListener);
        assertNull(clientListener.links.awaitLink(Duration.ofMillis(1500)), "linked although websocket_sync is off");
        assertTrue(serverListener.links.links().isEmpty());
    }

    @Test
    void reconfigureChangesTheFolderInPlaceWithoutDroppingLinks() throws Exception {
        EngineListener serverListener = new EngineListener();
        TransportConfig config = serverConfig();
        Transport server = start(config, serverListener);
        int port = port(server);
        EngineListener clientListener = new EngineListener();
        start(TransportConfig.defaults().addWebsocketUrl("ws://127.0.0.1:" + port + "/sync"), clientListener);
        RecordedLink serverLink = serverListener.links.awaitLink(TIMEOUT);
        assertNotNull(serverLink);
        Path other = Files.createDirectory(dir.resolve("other"));
        Files.writeString(other.resolve("notes.txt"), "other notes");
        server.reconfigure(config.copy().setStaticContentPath(other.toString()));
        assertEquals(port, port(server));
        assertEquals("other notes", raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").text());
        server.reconfigure(config.copy().setStaticContentPath(null));
        assertEquals(404, raw(port, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status());
        assertTrue(serverLink.link().isOpen(), "the link was dropped");
        assertEquals(0, serverLink.closedCount());
    }

    @Test
    void givesBackTheCountOfQueuedResponseBytesWhenConnectionsClose() throws Exception {
        Transport server = start(serverConfig(), new EngineListener());
        int port = port(server);
        Files.write(www.resolve("medium.bin"), new byte[1 << 20]);
        for (int i = 0; i < 5; i++) {
            assertEquals(1 << 20, raw(port, "GET /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n").body().length);
        }
        for (int i = 0; i < 5; i++) {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                socket.getOutputStream().write("GET /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                assertTrue(socket.getInputStream().read() >= 0);
            }
        }
        HttpService http = ((WsTransport) server).httpService();
        awaitTrue(() -> http.pendingResponseBytes() == 0, "still counted: " + http.pendingResponseBytes());
    }

    // ------------------------------------------------------------ TLS

    @Test
    void servesFilesTheEngineAndWebSocketSyncOverTlsOnOnePort() throws Exception {
        Path[] pem = PemTlsTest.selfSignedPem(dir);
        EngineListener serverListener = new EngineListener();
        TransportConfig config = serverConfig().setHttpTls(pem[0].toString(), pem[1].toString());
        int port = port(start(config, serverListener));
        SSLContext trust = PemTls.trustingContext(pem[1]);

        HttpsURLConnection get = (HttpsURLConnection) new URL("https://127.0.0.1:" + port + "/data.json").openConnection();
        get.setSSLSocketFactory(trust.getSocketFactory());
        assertEquals(200, get.getResponseCode());
        assertEquals("application/json", get.getContentType());
        try (InputStream in = get.getInputStream()) {
            assertEquals("{\"a\":1}", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }

        HttpsURLConnection post = (HttpsURLConnection) new URL("https://127.0.0.1:" + port + "/_ditto/auth/login").openConnection();
        post.setSSLSocketFactory(trust.getSocketFactory());
        post.setRequestMethod("POST");
        post.setDoOutput(true);
        try (OutputStream out = post.getOutputStream()) {
            out.write("{\"u\":1}".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(200, post.getResponseCode());
        assertEquals("{\"u\":1}", new String(serverListener.requests.poll(5, TimeUnit.SECONDS).body(), StandardCharsets.UTF_8));

        for (String target : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt", "//etc/passwd")) {
            Reply reply = rawTls(port, trust, "GET " + target + " HTTP/1.1\r\nHost: x\r\n\r\n");
            assertTrue(reply.status() >= 400 && reply.status() < 500, target + ": " + reply.status());
            assertNoSecret(target, reply);
        }
        assertEquals(400, rawTls(port, trust, "NOT HTTP\r\n\r\n").status());
        assertEquals(413, rawTls(port, trust, "POST /_ditto/x HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n").status());
        assertEquals(200, rawTls(port, trust, "GET /notes.txt HTTP/1.1\r\nHost: x\r\n\r\n").status());

        System.setProperty(Connector.TRUSTED_CERTIFICATES, pem[1].toString());
        try {
            EngineListener clientListener = new EngineListener();
            start(TransportConfig.defaults().addWebsocketUrl("wss://127.0.0.1:" + port + "/sync"), clientListener);
            RecordedLink clientLink = clientListener.links.awaitLink(TIMEOUT);
            assertNotNull(clientLink, "no wss link next to https");
            RecordedLink serverLink = serverListener.links.awaitLink(TIMEOUT);
            clientLink.link().send(ByteBuffer.wrap(new byte[] {7}));
            assertEquals(ByteBuffer.wrap(new byte[] {7}), serverLink.awaitFrame(TIMEOUT));
        } finally {
            System.clearProperty(Connector.TRUSTED_CERTIFICATES);
        }
    }

    @Test
    void tlsClientsThatCloseFirstOrVanishLeaveTheListenerWorking() throws Exception {
        Path[] pem = PemTlsTest.selfSignedPem(dir);
        Files.write(www.resolve("medium.bin"), new byte[2 << 20]);
        int port = port(start(serverConfig().setHttpTls(pem[0].toString(), pem[1].toString()), new EngineListener()));
        SSLContext trust = PemTls.trustingContext(pem[1]);
        for (int i = 0; i < 6; i++) {
            try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                boolean get = i % 2 == 0;
                socket.getOutputStream().write((get ? "GET /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n"
                        : "POST /_ditto/x HTTP/1.1\r\nHost: x\r\nContent-Length: 99\r\n\r\nabc").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                if (get && i % 4 == 0) {
                    assertTrue(socket.getInputStream().read() >= 0);
                }
            }
        }
        Reply reply = rawTls(port, trust, "GET /medium.bin HTTP/1.1\r\nHost: x\r\n\r\n");
        assertEquals(2 << 20, reply.body().length);
    }

    @Test
    void aLargeFileReachesASlowTlsReaderWhole() throws Exception {
        Path[] pem = PemTlsTest.selfSignedPem(dir);
        byte[] content = new byte[6 << 20];
        new Random(42).nextBytes(content);
        Files.write(www.resolve("large.bin"), content);
        int port = port(start(serverConfig().setHttpTls(pem[0].toString(), pem[1].toString()), new EngineListener()));
        SSLContext trust = PemTls.trustingContext(pem[1]);
        for (int round = 0; round < 3; round++) {
            try (SSLSocket socket = (SSLSocket) trust.getSocketFactory().createSocket()) {
                socket.setReceiveBufferSize(4096);
                socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                socket.setSoTimeout(20_000);
                socket.getOutputStream().write("GET /large.bin HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                Thread.sleep(300);
                InputStream in = new SlowStream(socket.getInputStream(), round);
                Reply reply = readReply(new BufferedInputStream(in, 1024), true);
                assertEquals(200, reply.status());
                assertArrayEquals(content, reply.body());
            }
        }
    }

    /** Reads in small pieces with pauses, so the server's socket buffer fills up. */
    private static final class SlowStream extends InputStream {
        private final InputStream in;
        private final int pauseEvery;
        private long count;

        SlowStream(InputStream in, int round) {
            this.in = in;
            this.pauseEvery = (64 << 10) * (round + 1);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, Math.min(len, 1024));
            if (n > 0 && (count / pauseEvery) != ((count + n) / pauseEvery)) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            count += Math.max(n, 0);
            return n;
        }
    }

    // ------------------------------------------------------------ helpers

    private static void awaitTrue(java.util.function.BooleanSupplier condition, String message) throws InterruptedException {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(message);
            }
            Thread.sleep(10);
        }
    }
}
