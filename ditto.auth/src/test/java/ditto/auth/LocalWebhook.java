package ditto.auth;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A minimal HTTP/1.1 server on a loopback port chosen by the system, for webhook tests: it reads
 * one request per connection (headers, then a {@code Content-Length} body), hands the body to the
 * handler and writes its answer with {@code Connection: close}. Plain sockets keep the test free
 * of the {@code jdk.httpserver} module, which the patched test module does not read.
 */
final class LocalWebhook implements AutoCloseable {

    /** One answer: a status, a body and how long to wait before sending it. */
    record Answer(int status, String body, long delayMillis) {
        static Answer ok(String body) {
            return new Answer(200, body, 0);
        }
    }

    private final ServerSocket server;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "local-webhook");
        thread.setDaemon(true);
        return thread;
    });
    private final Function<String, Answer> handler;

    LocalWebhook(Function<String, Answer> handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
        pool.execute(this::acceptLoop);
    }

    String url() {
        return "http://127.0.0.1:" + server.getLocalPort() + "/auth";
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                pool.execute(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            int length = 0;
            String line;
            while (!(line = readLine(in)).isEmpty()) {
                String lower = line.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring("content-length:".length()).trim());
                }
            }
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            Answer answer = handler.apply(body);
            if (answer.delayMillis() > 0) {
                Thread.sleep(answer.delayMillis());
            }
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            OutputStream out = socket.getOutputStream();
            out.write(("HTTP/1.1 " + answer.status() + " X\r\nContent-Type: application/json\r\nContent-Length: "
                    + bytes.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(bytes);
            out.flush();
        } catch (IOException | InterruptedException | RuntimeException ignored) {
            // the client went away or the test ended; nothing to answer
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        server.close();
        pool.shutdownNow();
    }
}
