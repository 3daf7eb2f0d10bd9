package ditto.engine.presence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import ditto.api.ConnectionRequest;
import ditto.api.ConnectionRequestAuthorization;
import ditto.engine.wire.Message;

/**
 * The connection request handler on real threads: the request it sees, ALLOW and DENY, an
 * exception or a null answer denies, and a handler slower than the (injected) timeout denies
 * once, its late answer ignored. The handler never runs on the caller's thread.
 */
class ConnectionRequestsTest {

    private final ExecutorService handlers = Executors.newCachedThreadPool();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void shutDown() {
        handlers.shutdownNow();
        timer.shutdownNow();
    }

    private ConnectionRequests requests(long timeoutMillis) {
        return new ConnectionRequests(handlers, (millis, task) -> timer.schedule(task, millis, TimeUnit.MILLISECONDS),
                timeoutMillis);
    }

    private static Message.Presence presence() {
        return new Message.Presence("pk-remote", 5, "tablet", "Linux", "0.1.0", 1,
                "{\"role\":\"kiosk\"}".getBytes(StandardCharsets.UTF_8),
                "{\"user\":\"ann\"}".getBytes(StandardCharsets.UTF_8), List.of());
    }

    private static Boolean decide(ConnectionRequests r) throws InterruptedException {
        BlockingQueue<Boolean> decisions = new ArrayBlockingQueue<>(4);
        r.authorize(presence(), decisions::add);
        Boolean first = decisions.poll(5, TimeUnit.SECONDS);
        // exactly one decision, even after the timeout has also fired
        assertEquals(null, decisions.poll(300, TimeUnit.MILLISECONDS));
        return first;
    }

    @Test
    void passesTheRequestToTheHandlerOnAnotherThreadAndFollowsItsAnswer() throws Exception {
        // given a handler that records what it saw and allows
        ConnectionRequests r = requests(200);
        AtomicReference<ConnectionRequest> seen = new AtomicReference<>();
        AtomicReference<Thread> thread = new AtomicReference<>();
        r.setHandler(req -> {
            seen.set(req);
            thread.set(Thread.currentThread());
            return ConnectionRequestAuthorization.ALLOW;
        });

        // then the session is allowed, and the handler saw the remote's key and metadata
        assertEquals(Boolean.TRUE, decide(r));
        assertEquals("pk-remote", seen.get().peerKey());
        assertEquals(Map.of("role", "kiosk"), seen.get().peerMetadata());
        assertEquals(Map.of("user", "ann"), seen.get().identityData());
        assertNotEquals(Thread.currentThread(), thread.get());

        // when it denies
        r.setHandler(req -> ConnectionRequestAuthorization.DENY);
        assertEquals(Boolean.FALSE, decide(r));
    }

    @Test
    void anExceptionOrANullAnswerDenies() throws Exception {
        ConnectionRequests r = requests(200);
        r.setHandler(req -> {
            throw new IllegalStateException("handler bug");
        });
        assertEquals(Boolean.FALSE, decide(r));
        r.setHandler(req -> null);
        assertEquals(Boolean.FALSE, decide(r));
    }

    @Test
    void aHandlerSlowerThanTheTimeoutDeniesOnce() throws Exception {
        // given a handler that answers ALLOW only after the 100 ms timeout
        ConnectionRequests r = requests(100);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        r.setHandler(req -> {
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            answered.countDown();
            return ConnectionRequestAuthorization.ALLOW;
        });
        BlockingQueue<Boolean> decisions = new ArrayBlockingQueue<>(4);

        // when asked
        long start = System.nanoTime();
        r.authorize(presence(), decisions::add);

        // then it is denied after the timeout, and the late ALLOW is ignored
        assertEquals(Boolean.FALSE, decisions.poll(5, TimeUnit.SECONDS));
        assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(90));
        release.countDown();
        assertTrue(answered.await(5, TimeUnit.SECONDS));
        assertEquals(null, decisions.poll(200, TimeUnit.MILLISECONDS));
    }

    @Test
    void withoutAHandlerEveryRequestIsAllowed() throws Exception {
        assertEquals(Boolean.TRUE, decide(requests(100)));
    }
}
