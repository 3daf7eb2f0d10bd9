package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;

import org.junit.jupiter.api.Test;

class LoopbackProxyTest {

    @Test
    void forwardsBothWaysAndCountsEveryByte() throws Exception {
        // given an echo server behind a proxy
        try (ServerSocket echo = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                LoopbackProxy proxy = new LoopbackProxy(echo.getLocalPort())) {
            Thread server = new Thread(() -> {
                try (Socket s = echo.accept()) {
                    s.getOutputStream().write(s.getInputStream().readNBytes(5));
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            server.start();
            // when a client sends five bytes through the proxy
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                client.getOutputStream().write(new byte[] {1, 2, 3, 4, 5});
                byte[] back = client.getInputStream().readNBytes(5);
                // then they come back and ten bytes were counted
                assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, back);
            }
            server.join(5_000);
            long deadline = System.currentTimeMillis() + 5_000;
            while (proxy.bytes() < 10 && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(10, proxy.bytes());
        }
    }

    @Test
    void refusesConnectionsWhileBlocked() throws Exception {
        // given a blocked proxy in front of a listening server
        try (ServerSocket target = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
                LoopbackProxy proxy = new LoopbackProxy(target.getLocalPort())) {
            proxy.block();
            // when a client connects, then the proxy closes it without forwarding
            try (Socket client = new Socket(InetAddress.getLoopbackAddress(), proxy.port())) {
                client.setSoTimeout(5_000);
                InputStream in = client.getInputStream();
                int read;
                try {
                    read = in.read();
                } catch (IOException reset) {
                    read = -1;
                }
                assertEquals(-1, read);
            }
            assertEquals(0, proxy.bytes());
            target.setSoTimeout(200);
            assertThrows(IOException.class, target::accept);
        }
    }
}
