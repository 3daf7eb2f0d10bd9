package ditto.api;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * The {@link Flow.Publisher} behind {@link Store#livePublisher}: one back-pressured store
 * observer per subscriber.
 *
 * <pre>
 *  engine thread                    LiveSubscription (state under its monitor)      subscriber
 *  onChange(result, signalNext) --> pending = result, held = signalNext --drain-->  onNext(result)
 *  request(n) (any thread) -------> demand += n ---------------------------drain--> held.run()
 * </pre>
 *
 * Invariants: the observer delivers again only after its {@link SignalNext} runs, so at most one
 * result is pending; the signal is run only while demand is positive, so results are never
 * produced faster than requested; signals to the subscriber come from exactly one thread at a
 * time (the drain loop), and nothing is signalled after a terminal signal or cancellation.
 */
final class LiveQueryPublisher implements Flow.Publisher<QueryResult> {
    private final Store store;
    private final String dql;
    private final Map<String, ?> args;

    LiveQueryPublisher(Store store, String dql, Map<String, ?> args) {
        this.store = Objects.requireNonNull(store, "store");
        this.dql = Objects.requireNonNull(dql, "dql");
        this.args = args;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super QueryResult> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        LiveSubscription subscription = new LiveSubscription(subscriber);
        subscriber.onSubscribe(subscription);
        subscription.register(store, dql, args);
    }

    /** One subscriber's state; see the class comment for the invariants. */
    private static final class LiveSubscription implements Flow.Subscription {
        private final Flow.Subscriber<? super QueryResult> subscriber;
        private StoreObserver observer;
        private long demand;
        private QueryResult pending;
        private SignalNext held;
        private Throwable error;
        private boolean complete;
        private boolean cancelled;
        private boolean terminated;
        private boolean draining;
        private boolean missed;

        LiveSubscription(Flow.Subscriber<? super QueryResult> subscriber) {
            this.subscriber = subscriber;
        }

        void register(Store store, String dql, Map<String, ?> args) {
            synchronized (this) {
                if (cancelled) {
                    return;
                }
            }
            StoreObserver registered;
            try {
                registered = store.registerObserver(dql, args, this::onChange);
            } catch (RuntimeException e) {
                synchronized (this) {
                    error = e;
                }
                drain();
                return;
            }
            boolean cancelNow;
            synchronized (this) {
                observer = registered;
                cancelNow = cancelled;
            }
            if (cancelNow) {
                registered.cancel();
                return;
            }
            registered.onCancel(() -> {
                synchronized (this) {
                    complete = true;
                }
                drain();
            });
        }

        private void onChange(QueryResult result, SignalNext signalNext) {
            boolean discard;
            synchronized (this) {
                discard = cancelled || terminated;
                if (!discard) {
                    if (pending != null) {
                        pending.close();
                    }
                    pending = result;
                    held = signalNext;
                }
            }
            if (discard) {
                result.close();
                return;
            }
            drain();
        }

        @Override
        public void request(long n) {
            StoreObserver current;
            synchronized (this) {
                if (cancelled || terminated) {
                    return;
                }
                if (n <= 0) {
                    error = new IllegalArgumentException("request(" + n + "): demand must be positive (rule 3.9)");
                } else {
                    demand = demand > Long.MAX_VALUE - n ? Long.MAX_VALUE : demand + n;
                }
                current = observer;
            }
            if (current != null && current.isCanceled()) {
                synchronized (this) {
                    complete = true;
                }
            }
            drain();
        }

        @Override
        public void cancel() {
            StoreObserver current;
            QueryResult dropped;
            synchronized (this) {
                if (cancelled) {
                    return;
                }
                cancelled = true;
                current = observer;
                dropped = pending;
                pending = null;
                held = null;
            }
            if (current != null) {
                current.cancel();
            }
            if (dropped != null) {
                dropped.close();
            }
        }

        /** Runs signals one thread at a time; a thread arriving while another drains marks work as missed. */
        private void drain() {
            synchronized (this) {
                if (draining) {
                    missed = true;
                    return;
                }
                draining = true;
            }
            while (true) {
                QueryResult next = null;
                SignalNext signal = null;
                Throwable failure = null;
                boolean finish = false;
                synchronized (this) {
                    if (cancelled || terminated) {
                        draining = false;
                        return;
                    }
                    if (error != null) {
                        failure = error;
                        terminated = true;
                    } else if (pending != null && demand > 0) {
                        next = pending;
                        pending = null;
                        if (demand != Long.MAX_VALUE) {
                            demand--;
                        }
                    } else if (complete && pending == null) {
                        finish = true;
                        terminated = true;
                    } else if (held != null && pending == null && demand > 0) {
                        signal = held;
                        held = null;
                    } else if (missed) {
                        missed = false;
                        continue;
                    } else {
                        draining = false;
                        return;
                    }
                }
                if (failure != null || finish) {
                    StoreObserver current;
                    synchronized (this) {
                        current = observer;
                        draining = false;
                    }
                    if (current != null) {
                        current.cancel();
                    }
                    if (failure != null) {
                        subscriber.onError(failure);
                    } else {
                        subscriber.onComplete();
                    }
                    return;
                }
                if (next != null) {
                    try {
                        subscriber.onNext(next);
                    } catch (RuntimeException | Error e) {
                        // Rule 2.13: a subscriber that throws is treated as cancelled.
                        synchronized (this) {
                            draining = false;
                        }
                        cancel();
                        throw e;
                    }
                }
                if (signal != null) {
                    signal.run();
                }
            }
        }
    }
}
