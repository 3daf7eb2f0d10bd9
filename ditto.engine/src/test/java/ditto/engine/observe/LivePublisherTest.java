package ditto.engine.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.QueryResult;
import ditto.api.SignalNext;
import ditto.api.Store;

/** {@code Store.livePublisher} (a default method of the API) end to end on the hub. */
class LivePublisherTest {
    private FakeStore store;
    private ObserverHub hub;
    private Store api;

    @BeforeEach
    void setUp() {
        store = new FakeStore();
        hub = new ObserverHub(FakeStore.ditto(), store, null);
        store.attach(hub);
        api = storeOn(hub);
    }

    @AfterEach
    void tearDown() {
        hub.close();
    }

    /** A Store whose observer methods are the hub's; its default methods run as written in the API. */
    @SuppressWarnings("unchecked")
    static Store storeOn(ObserverHub hub) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.isDefault()) {
                return InvocationHandler.invokeDefault(proxy, method, args);
            }
            switch (method.getName()) {
                case "registerObserver":
                    if (method.getParameterTypes()[2] == BiConsumer.class) {
                        return hub.register((String) args[0], (Map<String, ?>) args[1],
                                (BiConsumer<QueryResult, SignalNext>) args[2]);
                    }
                    return hub.register((String) args[0], (Map<String, ?>) args[1], (Consumer<QueryResult>) args[2]);
                case "observers":
                    return hub.observers();
                case "toString":
                    return "FakeStore";
                default:
                    throw new UnsupportedOperationException(method.getName());
            }
        };
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, handler);
    }

    /** Collects signals; the subscription is available once onSubscribe ran. */
    static final class Collector implements Flow.Subscriber<QueryResult> {
        final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        final BlockingQueue<List<Map<String, Object>>> items = new LinkedBlockingQueue<>();
        final CompletableFuture<Throwable> error = new CompletableFuture<>();
        final CompletableFuture<Void> complete = new CompletableFuture<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
        }

        @Override
        public void onNext(QueryResult item) {
            items.add(item.values());
            item.close();
        }

        @Override
        public void onError(Throwable t) {
            error.complete(t);
        }

        @Override
        public void onComplete() {
            complete.complete(null);
        }

        Flow.Subscription sub() throws Exception {
            return subscription.get(5, TimeUnit.SECONDS);
        }

        List<Map<String, Object>> next() throws InterruptedException {
            List<Map<String, Object>> v = items.poll(10, TimeUnit.SECONDS);
            assertNotNull(v, "no onNext");
            return v;
        }
    }

    @Test
    void deliversOnlyOnDemandAndCoalescesWhileThereIsNone() throws Exception {
        // given
        Collector c = new Collector();
        api.livePublisher("SELECT * FROM cars ORDER BY _id", null).subscribe(c);
        // then nothing before demand
        assertNull(c.items.poll(200, TimeUnit.MILLISECONDS));
        // when one result is requested
        c.sub().request(1);
        assertEquals(List.of(), c.next());
        // when commits happen without demand
        for (int i = 0; i < 10; i++) {
            store.upsert("cars", ObserverHubTest.doc("c" + i));
        }
        assertNull(c.items.poll(200, TimeUnit.MILLISECONDS));
        // then the next request yields the latest state at once
        c.sub().request(1);
        assertEquals(10, c.next().size());
        assertNull(c.items.poll(200, TimeUnit.MILLISECONDS));
        // when demand is unbounded, each change arrives
        c.sub().request(Long.MAX_VALUE);
        store.upsert("cars", ObserverHubTest.doc("z"));
        assertEquals(11, c.next().size());
        // when the subscriber cancels, its observer is cancelled
        assertEquals(1, hub.observers().size());
        c.sub().cancel();
        assertEquals(List.of(), hub.observers());
    }

    @Test
    void signalsARegistrationErrorWithOnError() throws Exception {
        Collector c = new Collector();
        api.livePublisher("UPDATE cars SET x = 1", null).subscribe(c);
        Throwable t = c.error.get(5, TimeUnit.SECONDS);
        assertEquals(ErrorCode.UNSUPPORTED, assertInstanceOf(DittoException.class, t).code());
    }

    @Test
    void completesWhenTheHubCloses() throws Exception {
        // given
        Collector c = new Collector();
        api.livePublisher("SELECT * FROM cars", null).subscribe(c);
        c.sub().request(1);
        c.next();
        // when
        hub.close();
        // then: the cancelled observer's onCancel action completes the subscription, no request needed
        c.complete.get(5, TimeUnit.SECONDS);
        assertTrue(c.items.isEmpty());
    }
}
