package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

class LiveQueryPublisherTest {

    /** Records every signal it receives; requests nothing by itself. */
    private static final class RecordingSubscriber implements Flow.Subscriber<QueryResult> {
        final List<Object> events = new ArrayList<>();
        Flow.Subscription subscription;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            events.add("subscribe");
        }

        @Override
        public void onNext(QueryResult item) {
            events.add(item);
        }

        @Override
        public void onError(Throwable t) {
            events.add(t);
        }

        @Override
        public void onComplete() {
            events.add("complete");
        }
    }

    /**
     * Store double whose signal-next observer behaves as the engine's contract says: it delivers
     * a change at once unless it awaits a signal, in which case it keeps only the latest change.
     */
    private static final class FakeStore implements Store {
        final List<FakeObserver> observers = new ArrayList<>();
        DittoException registrationError;

        @Override
        public StoreObserver registerObserver(String dql, Map<String, ?> args,
                BiConsumer<QueryResult, SignalNext> onChange) {
            if (registrationError != null) {
                throw registrationError;
            }
            FakeObserver o = new FakeObserver(dql, onChange);
            observers.add(o);
            return o;
        }

        void change(QueryResult result) {
            observers.forEach(o -> o.change(result));
        }

        @Override
        public QueryResult execute(String dql, Map<String, ?> args) {
            throw new UnsupportedOperationException();
        }

        @Override
        public StoreObserver registerObserver(String dql, Map<String, ?> args, Consumer<QueryResult> onChange) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StoreObserver> observers() {
            return List.copyOf(observers);
        }

        @Override
        public TransactionCompletionAction transaction(TransactionOptions options, TransactionFunction function) {
            throw new UnsupportedOperationException();
        }

        @Override
        public <T> T transactionWithResult(TransactionOptions options, Function<Transaction, T> function) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Attachment newAttachment(Path file, Map<String, ?> metadata) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Attachment newAttachment(byte[] data, Map<String, ?> metadata) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Attachment newAttachment(InputStream content, Map<String, ?> metadata) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AttachmentFetcher fetchAttachment(AttachmentToken token, Consumer<AttachmentFetchEvent> onEvent) {
            throw new UnsupportedOperationException();
        }
    }

    private static final class FakeObserver implements StoreObserver {
        private final String dql;
        private final BiConsumer<QueryResult, SignalNext> handler;
        private boolean awaitingSignal;
        private QueryResult undelivered;
        boolean canceled;

        FakeObserver(String dql, BiConsumer<QueryResult, SignalNext> handler) {
            this.dql = dql;
            this.handler = handler;
        }

        void change(QueryResult result) {
            if (canceled) {
                return;
            }
            if (awaitingSignal) {
                undelivered = result;
            } else {
                deliver(result);
            }
        }

        private void deliver(QueryResult result) {
            awaitingSignal = true;
            handler.accept(result, () -> {
                if (!awaitingSignal || canceled) {
                    return;
                }
                awaitingSignal = false;
                if (undelivered != null) {
                    QueryResult next = undelivered;
                    undelivered = null;
                    deliver(next);
                }
            });
        }

        private final java.util.List<Runnable> cancelActions = new java.util.ArrayList<>();

        @Override
        public void cancel() {
            if (canceled) {
                return;
            }
            canceled = true;
            cancelActions.forEach(Runnable::run);
        }

        @Override
        public void onCancel(Runnable action) {
            if (canceled) {
                action.run();
            } else {
                cancelActions.add(action);
            }
        }

        @Override
        public boolean isCanceled() {
            return canceled;
        }

        @Override
        public Ditto ditto() {
            throw new UnsupportedOperationException();
        }

        @Override
        public String queryString() {
            return dql;
        }

        @Override
        public Map<String, Object> queryArguments() {
            return Map.of();
        }
    }

    private static TestQueryResult result() {
        return new TestQueryResult(List.of());
    }

    @Test
    void deliversOnlyWhatWasRequested() {
        FakeStore store = new FakeStore();
        RecordingSubscriber sub = new RecordingSubscriber();
        store.livePublisher("SELECT * FROM c", null).subscribe(sub);
        TestQueryResult first = result();
        store.change(first);
        assertEquals(List.of("subscribe"), sub.events);

        sub.subscription.request(1);
        assertEquals(List.of("subscribe", first), sub.events);

        TestQueryResult second = result();
        store.change(second);
        assertEquals(2, sub.events.size(), "no demand, nothing delivered");
        sub.subscription.request(1);
        assertEquals(List.of("subscribe", first, second), sub.events);
    }

    @Test
    void coalescesChangesWhileSubscriberHasNoDemand() {
        FakeStore store = new FakeStore();
        RecordingSubscriber sub = new RecordingSubscriber();
        store.livePublisher("SELECT * FROM c", null).subscribe(sub);
        sub.subscription.request(1);
        TestQueryResult first = result();
        store.change(first);
        TestQueryResult skipped = result();
        TestQueryResult latest = result();
        store.change(skipped);
        store.change(latest);
        sub.subscription.request(5);
        assertEquals(List.of("subscribe", first, latest), sub.events);
    }

    @Test
    void unboundedDemandDeliversEveryChange() {
        FakeStore store = new FakeStore();
        RecordingSubscriber sub = new RecordingSubscriber();
        store.livePublisher("SELECT * FROM c", Map.of()).subscribe(sub);
        sub.subscription.request(Long.MAX_VALUE);
        List<Object> expected = new ArrayList<>(List.of("subscribe"));
        for (int i = 0; i < 5; i++) {
            TestQueryResult r = result();
            expected.add(r);
            store.change(r);
        }
        assertEquals(expected, sub.events);
    }

    @Test
    void cancelStopsObserverAndClosesUndeliveredResult() {
        FakeStore store = new FakeStore();
        RecordingSubscriber sub = new RecordingSubscriber();
        store.livePublisher("SELECT * FROM c", null).subscribe(sub);
        TestQueryResult pending = result();
        store.change(pending);
        sub.subscription.cancel();
        assertTrue(store.observers.get(0).isCanceled());
        assertTrue(pending.isClosed());
        sub.subscription.request(1);
        assertEquals(List.of("subscribe"), sub.events);
    }

    @Test
    void registrationErrorIsSignalledAfterSubscribe() {
        FakeStore store = new FakeStore();
        store.registrationError = new DittoException(ErrorCode.UNSUPPORTED, "observer: only SELECT");
        RecordingSubscriber sub = new RecordingSubscriber();
        store.livePublisher("DELETE FROM c", null).subscribe(sub);
        assertEquals(2, sub.events.size());
        assertEquals("subscribe", sub.events.get(0));
        assertSame(store.registrationError, sub.events.get(1));
    }

    @Test
    void nonPositiveRequestIsAnError() {
        FakeStore store = new FakeStore();
        RecordingSubscriber sub = new RecordingSubscriber();
        store.livePublisher("SELECT * FROM c", null).subscribe(sub);
        sub.subscription.request(0);
        assertInstanceOf(IllegalArgumentException.class, sub.events.get(1));
        assertTrue(store.observers.get(0).isCanceled());
    }

    @Test
    void completesAsSoonAsObserverIsCancelledByClose() {
        FakeStore store = new FakeStore();
        RecordingSubscriber sub = new RecordingSubscriber();
        store.livePublisher("SELECT * FROM c", null).subscribe(sub);
        store.observers.get(0).cancel();
        assertEquals(List.of("subscribe", "complete"), sub.events, "no request needed to learn of the end");
    }

    @Test
    void eachSubscriberGetsItsOwnObserver() {
        FakeStore store = new FakeStore();
        Flow.Publisher<QueryResult> publisher = store.livePublisher("SELECT * FROM c", null);
        publisher.subscribe(new RecordingSubscriber());
        publisher.subscribe(new RecordingSubscriber());
        assertEquals(2, store.observers.size());
    }
}
