package ditto.engine.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.storage.Storage;
import ditto.api.spi.storage.StorageParameters;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.transport.Transport;
import ditto.api.spi.transport.TransportParameters;
import ditto.api.spi.transport.TransportProvider;

class PluginRegistryTest {

    /** A transport provider that only has an id (the registry never creates transports). */
    record Tp(String id) implements TransportProvider {
        @Override
        public Transport create(TransportParameters parameters) {
            throw new UnsupportedOperationException("not used by registry tests");
        }
    }

    record Sp(String id) implements StorageProvider {
        @Override
        public boolean isPersistent() {
            return false;
        }

        @Override
        public Storage open(StorageParameters parameters) {
            throw new UnsupportedOperationException("not used by registry tests");
        }
    }

    record Ip(String id) implements IdentityProvider {
        @Override
        public IdentityVerifier create(IdentityParameters parameters) {
            throw new UnsupportedOperationException("not used by registry tests");
        }
    }

    private final PluginRegistry registry = new PluginRegistry();
    private final List<PluginChange> changes = Collections.synchronizedList(new ArrayList<>());

    @Test
    void reportsEveryKindSortedEvenWhenEmpty() {
        // given an empty registry
        // when asking for the plug-ins
        SortedMap<String, SortedSet<String>> plugins = registry.plugins();

        // then the three kinds are present, sorted, with empty sets, and the map is unmodifiable
        assertEquals(List.of("identity", "storage", "transport"), new ArrayList<>(plugins.keySet()));
        plugins.values().forEach(ids -> assertTrue(ids.isEmpty()));
        assertThrows(UnsupportedOperationException.class, () -> plugins.put("x", null));
        assertThrows(UnsupportedOperationException.class, () -> plugins.get("transport").add("lan"));
    }

    @Test
    void addedProvidersAppearInTheSnapshotSortedById() {
        // given providers of each kind added in no particular order
        registry.addTransport(new Tp("ws"));
        registry.addTransport(new Tp("ble"));
        registry.addTransport(new Tp("lan"));
        registry.addStorage(new Sp("mvstore"));
        registry.addStorage(new Sp("memory"));
        registry.addIdentity(new Ip("dev"));

        // when taking a snapshot
        SortedMap<String, SortedSet<String>> plugins = registry.plugins();

        // then each kind lists its ids sorted, and describe() prints them as the log does
        assertEquals(List.of("ble", "lan", "ws"), new ArrayList<>(plugins.get("transport")));
        assertEquals(List.of("memory", "mvstore"), new ArrayList<>(plugins.get("storage")));
        assertEquals(List.of("dev"), new ArrayList<>(plugins.get("identity")));
        assertEquals("transport=[ble, lan, ws] storage=[memory, mvstore] identity=[dev]", registry.describe());
    }

    @Test
    void snapshotDoesNotChangeWhenTheRegistryDoes() {
        // given a snapshot taken with one transport
        Tp lan = new Tp("lan");
        registry.addTransport(lan);
        SortedMap<String, SortedSet<String>> before = registry.plugins();

        // when the transport goes away
        registry.removeTransport(lan);

        // then the old snapshot still lists it and a new one does not
        assertEquals(Set.of("lan"), before.get("transport"));
        assertTrue(registry.plugins().get("transport").isEmpty());
    }

    @Test
    void listenersHearAdditionsAndRemovalsWithTheProviderObjects() {
        // given a listener
        registry.addListener(changes::add);
        Tp lan = new Tp("lan");
        Sp memory = new Sp("memory");

        // when providers come and go
        assertTrue(registry.addTransport(lan));
        assertTrue(registry.addStorage(memory));
        assertTrue(registry.removeTransport(lan));

        // then each change names kind, id, and the objects before and after
        assertEquals(List.of(
                new PluginChange(PluginKind.TRANSPORT, "lan", Optional.empty(), Optional.of(lan)),
                new PluginChange(PluginKind.STORAGE, "memory", Optional.empty(), Optional.of(memory)),
                new PluginChange(PluginKind.TRANSPORT, "lan", Optional.of(lan), Optional.empty())), changes);
        assertSame(memory, registry.storage("memory").orElseThrow());
        assertTrue(registry.transport("lan").isEmpty());
    }

    @Test
    void secondProviderWithTheSameIdWaitsAsStandbyAndTakesOverWhenTheFirstGoes() {
        // given two transport providers with the same id, added one after the other
        registry.addListener(changes::add);
        Tp first = new Tp("lan");
        Tp second = new Tp("lan");
        assertTrue(registry.addTransport(first));

        // when the second is added
        boolean secondActive = registry.addTransport(second);

        // then it is a standby: the first stays active and nobody is told
        assertFalse(secondActive);
        assertSame(first, registry.transport("lan").orElseThrow());
        assertEquals(1, changes.size());

        // when the first goes away
        assertTrue(registry.removeTransport(first));

        // then the standby takes over, announced as a replacement
        assertSame(second, registry.transport("lan").orElseThrow());
        assertEquals(new PluginChange(PluginKind.TRANSPORT, "lan", Optional.of(first), Optional.of(second)),
                changes.get(1));
        assertEquals(Set.of("lan"), registry.plugins().get("transport"));
    }

    @Test
    void removingAStandbyChangesNothingVisible() {
        // given an active provider and a standby
        Tp first = new Tp("lan");
        Tp standby = new Tp("lan");
        registry.addTransport(first);
        registry.addTransport(standby);
        registry.addListener(changes::add);

        // when the standby goes away
        boolean removed = registry.removeTransport(standby);

        // then it was known, no listener is told, and removing the active one leaves nothing behind
        assertTrue(removed);
        assertTrue(changes.isEmpty());
        registry.removeTransport(first);
        assertTrue(registry.transport("lan").isEmpty());
        assertEquals(List.of(new PluginChange(PluginKind.TRANSPORT, "lan", Optional.of(first), Optional.empty())),
                changes);
    }

    @Test
    void addingTheSameObjectTwiceIsIgnoredAndRemovingAnUnknownOneReturnsFalse() {
        // given one provider added twice
        Tp lan = new Tp("lan");
        registry.addListener(changes::add);
        registry.addTransport(lan);
        boolean again = registry.addTransport(lan);

        // when it is removed once, and then again
        boolean first = registry.removeTransport(lan);
        boolean second = registry.removeTransport(lan);

        // then the duplicate add did nothing and only the first removal found it
        assertFalse(again);
        assertTrue(first);
        assertFalse(second);
        assertEquals(2, changes.size());
        assertFalse(registry.removeStorage(new Sp("never-added")));
    }

    @Test
    void providerWhoseIdFailsOrIsBlankIsIgnored() {
        // given providers that cannot name themselves
        TransportProvider throwing = new TransportProvider() {
            @Override
            public String id() {
                throw new IllegalStateException("broken plug-in");
            }

            @Override
            public Transport create(TransportParameters parameters) {
                throw new UnsupportedOperationException();
            }
        };
        registry.addListener(changes::add);

        // when they are added
        boolean throwingAdded = registry.addTransport(throwing);
        boolean blankAdded = registry.addTransport(new Tp(" "));
        boolean nullAdded = registry.addTransport(new Tp(null));

        // then none is registered and nobody is told
        assertFalse(throwingAdded);
        assertFalse(blankAdded);
        assertFalse(nullAdded);
        assertTrue(registry.plugins().get("transport").isEmpty());
        assertTrue(changes.isEmpty());
    }

    @Test
    void aFailingListenerDoesNotKeepOthersFromHearing() {
        // given a listener that throws, registered before a good one
        registry.addListener(change -> {
            throw new IllegalStateException("listener bug");
        });
        registry.addListener(changes::add);

        // when a provider is added
        registry.addIdentity(new Ip("dev"));

        // then the good listener still heard of it and the provider is registered
        assertEquals(1, changes.size());
        assertTrue(registry.identity("dev").isPresent());
    }

    @Test
    void removedListenerHearsNothingMore() {
        // given a listener that was removed
        PluginListener listener = changes::add;
        registry.addListener(listener);
        registry.addTransport(new Tp("lan"));
        registry.removeListener(listener);

        // when another provider is added
        registry.addTransport(new Tp("ws"));

        // then only the first change was heard
        assertEquals(1, changes.size());
    }

    @Test
    void addAllAnnouncesEachNewProviderOnce() {
        // given a listener
        registry.addListener(changes::add);

        // when a bootstrap adds several providers at once, two of them sharing an id
        Tp lan = new Tp("lan");
        registry.addAll(List.of(lan, new Tp("lan"), new Tp("ws")), List.of(new Sp("memory")), List.of());

        // then the three distinct ids were announced, the duplicate kept as standby
        assertEquals(3, changes.size());
        assertSame(lan, registry.transport("lan").orElseThrow());
        assertEquals("transport=[lan, ws] storage=[memory] identity=[]", registry.describe());
    }

    @Test
    void rejectsAProviderOfTheWrongKind() {
        // given a storage provider
        Sp memory = new Sp("memory");

        // when it is added as a transport, then the registry refuses it
        assertThrows(IllegalArgumentException.class, () -> registry.add(PluginKind.TRANSPORT, memory));
        assertTrue(registry.plugins().get("transport").isEmpty());
    }

    @Test
    void concurrentChangesEndConsistentAndAreDeliveredOneAtATime() throws Exception {
        // given a listener that detects overlapping deliveries
        int threads = 4;
        int perThread = 200;
        Object guard = new Object();
        boolean[] inside = {false};
        boolean[] overlapped = {false};
        registry.addListener(change -> {
            synchronized (guard) {
                overlapped[0] |= inside[0];
                inside[0] = true;
            }
            Thread.onSpinWait();
            synchronized (guard) {
                inside[0] = false;
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            // when several threads add and remove their own providers concurrently, keeping every other one
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        Tp p = new Tp("t" + thread + "-" + i);
                        registry.addTransport(p);
                        if (i % 2 == 1) {
                            registry.removeTransport(p);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : futures) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        // then exactly the kept providers remain, and no two deliveries overlapped
        assertEquals(threads * perThread / 2, registry.plugins().get("transport").size());
        assertFalse(overlapped[0]);
    }
}
