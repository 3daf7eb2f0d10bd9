package ditto.engine.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

import org.tinylog.Logger;

import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.transport.TransportProvider;

/**
 * The one place where the engine keeps the plug-ins it may use, whichever mechanism found them
 * (the Declarative Services adapter in OSGi, the {@code ServiceLoader} bootstrap on the module
 * path, or a test adding providers by hand). The rest of the engine reads providers from here and
 * listens for changes; it never knows where they came from.
 *
 * <p>Invariants: per kind, each id has at most one <em>active</em> provider; further providers
 * registered under the same id wait, in arrival order, as standbys and the oldest takes over when
 * the active one is removed. Providers are identified by object identity, so {@code remove} must
 * be given the object that was added (as DS does for bind and unbind). The id is read once, when
 * the provider is added.
 *
 * <p>Threading: all methods are thread-safe. Changes are serialized: each mutator changes the state,
 * then tells every {@link PluginListener} on the calling thread, then logs the provider set, all
 * before the next change starts. Readers never wait for listeners.
 * <pre>
 *   DS thread / bootstrap ──add/remove──▶ [changeLock: mutate state ─▶ listeners ─▶ log line]
 *   any thread ──transports()/plugins()──▶ [stateLock: copy]
 * </pre>
 */
public final class PluginRegistry {

    private final Object changeLock = new Object();
    private final Object stateLock = new Object();
    /** Per kind, id to providers; index 0 is the active provider, the rest are standbys. Guarded by stateLock. */
    private final Map<PluginKind, Map<String, List<Object>>> providers = new EnumMap<>(PluginKind.class);
    private final List<PluginListener> listeners = new CopyOnWriteArrayList<>();

    /** Creates an empty registry. */
    public PluginRegistry() {
        for (PluginKind kind : PluginKind.values()) {
            providers.put(kind, new LinkedHashMap<>());
        }
    }

    /**
     * Adds a transport provider; see {@link #add(PluginKind, Object)}.
     *
     * @return true if the provider became active for its id
     */
    public boolean addTransport(TransportProvider provider) {
        return add(PluginKind.TRANSPORT, provider);
    }

    /**
     * Removes a transport provider; see {@link #remove(PluginKind, Object)}.
     *
     * @return true if the provider was registered
     */
    public boolean removeTransport(TransportProvider provider) {
        return remove(PluginKind.TRANSPORT, provider);
    }

    /**
     * Adds a storage provider; see {@link #add(PluginKind, Object)}.
     *
     * @return true if the provider became active for its id
     */
    public boolean addStorage(StorageProvider provider) {
        return add(PluginKind.STORAGE, provider);
    }

    /**
     * Removes a storage provider; see {@link #remove(PluginKind, Object)}.
     *
     * @return true if the provider was registered
     */
    public boolean removeStorage(StorageProvider provider) {
        return remove(PluginKind.STORAGE, provider);
    }

    /**
     * Adds an identity provider; see {@link #add(PluginKind, Object)}.
     *
     * @return true if the provider became active for its id
     */
    public boolean addIdentity(IdentityProvider provider) {
        return add(PluginKind.IDENTITY, provider);
    }

    /**
     * Removes an identity provider; see {@link #remove(PluginKind, Object)}.
     *
     * @return true if the provider was registered
     */
    public boolean removeIdentity(IdentityProvider provider) {
        return remove(PluginKind.IDENTITY, provider);
    }

    /**
     * Adds a provider. If no provider of this kind serves its id yet, it becomes active, listeners
     * hear of it and the provider set is logged. Otherwise it is kept as a standby (with a warning
     * naming both classes) and takes over if the active one is removed. Adding the same object
     * twice, or a provider whose {@code id()} fails or is blank, changes nothing (the latter is
     * logged as an error).
     *
     * @param kind the kind, never null
     * @param provider an instance of {@code kind.type()}, never null
     * @return true if the provider became active for its id
     * @throws IllegalArgumentException if the provider is not of the kind's type
     */
    public boolean add(PluginKind kind, Object provider) {
        checkType(kind, provider);
        synchronized (changeLock) {
            List<PluginChange> changes = new ArrayList<>(1);
            boolean active = addLocked(kind, provider, changes);
            publish(changes);
            return active;
        }
    }

    /**
     * Removes a provider. If it was active for its id, the oldest standby with the same id (if
     * any) takes over, listeners hear of the change, and the provider set is logged. Removing a
     * standby or an unknown object only drops it.
     *
     * @param kind the kind, never null
     * @param provider the object that was added, never null
     * @return true if the provider was registered
     */
    public boolean remove(PluginKind kind, Object provider) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(provider, "provider");
        synchronized (changeLock) {
            Removal removal;
            synchronized (stateLock) {
                removal = removeLocked(kind, provider);
            }
            if (removal.change() != null) {
                publish(List.of(removal.change()));
            }
            return removal.found();
        }
    }

    /**
     * Adds many providers at once, as a bootstrap does: listeners hear of each change, and the
     * provider set is logged once at the end.
     *
     * @param transports transport providers, never null
     * @param storages storage providers, never null
     * @param identities identity providers, never null
     */
    public void addAll(Collection<? extends TransportProvider> transports,
            Collection<? extends StorageProvider> storages,
            Collection<? extends IdentityProvider> identities) {
        synchronized (changeLock) {
            List<PluginChange> changes = new ArrayList<>();
            for (TransportProvider p : transports) {
                addLocked(PluginKind.TRANSPORT, Objects.requireNonNull(p, "transport provider"), changes);
            }
            for (StorageProvider p : storages) {
                addLocked(PluginKind.STORAGE, Objects.requireNonNull(p, "storage provider"), changes);
            }
            for (IdentityProvider p : identities) {
                addLocked(PluginKind.IDENTITY, Objects.requireNonNull(p, "identity provider"), changes);
            }
            notifyListeners(changes);
            logPlugins();
        }
    }

    /**
     * Registers a listener for later changes. Registering the same listener twice delivers each
     * change twice.
     *
     * @param listener the listener, never null
     */
    public void addListener(PluginListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    /**
     * Unregisters a listener. A change being delivered right now may still reach it unless this
     * is called from a listener or a thread that changes the registry.
     *
     * @param listener the listener to remove
     */
    public void removeListener(PluginListener listener) {
        listeners.remove(listener);
    }

    /** Returns the active transport provider for {@code id}, if any. */
    public Optional<TransportProvider> transport(String id) {
        return active(PluginKind.TRANSPORT, id).map(TransportProvider.class::cast);
    }

    /** Returns the active storage provider for {@code id}, if any. */
    public Optional<StorageProvider> storage(String id) {
        return active(PluginKind.STORAGE, id).map(StorageProvider.class::cast);
    }

    /** Returns the active identity provider for {@code id}, if any. */
    public Optional<IdentityProvider> identity(String id) {
        return active(PluginKind.IDENTITY, id).map(IdentityProvider.class::cast);
    }

    /** Returns the active transport providers by id, a sorted snapshot. */
    public SortedMap<String, TransportProvider> transports() {
        return activeMap(PluginKind.TRANSPORT, TransportProvider.class);
    }

    /** Returns the active storage providers by id, a sorted snapshot. */
    public SortedMap<String, StorageProvider> storages() {
        return activeMap(PluginKind.STORAGE, StorageProvider.class);
    }

    /** Returns the active identity providers by id, a sorted snapshot. */
    public SortedMap<String, IdentityProvider> identities() {
        return activeMap(PluginKind.IDENTITY, IdentityProvider.class);
    }

    /**
     * Returns the ids of the active providers, as {@link ditto.api.DittoFactory#plugins()}
     * defines it: keys {@code identity}, {@code storage}, {@code transport}, always present.
     *
     * @return an unmodifiable sorted snapshot, never null
     */
    public SortedMap<String, SortedSet<String>> plugins() {
        SortedMap<String, SortedSet<String>> result = new TreeMap<>();
        synchronized (stateLock) {
            for (PluginKind kind : PluginKind.values()) {
                result.put(kind.key(), Collections.unmodifiableSortedSet(new TreeSet<>(providers.get(kind).keySet())));
            }
        }
        return Collections.unmodifiableSortedMap(result);
    }

    /**
     * Returns the ids of the active providers of one kind, sorted.
     *
     * @param kind the kind, never null
     * @return an unmodifiable sorted snapshot, never null
     */
    public SortedSet<String> ids(PluginKind kind) {
        synchronized (stateLock) {
            return Collections.unmodifiableSortedSet(new TreeSet<>(providers.get(kind).keySet()));
        }
    }

    /**
     * Describes the active providers the way the log prints them, for example
     * {@code transport=[ble, lan, ws] storage=[memory, mvstore] identity=[dev]}.
     *
     * @return the description, never null
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        synchronized (stateLock) {
            for (PluginKind kind : PluginKind.values()) {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(kind.key()).append('=').append(new TreeSet<>(providers.get(kind).keySet()));
            }
        }
        return sb.toString();
    }

    /** Logs the current provider set at INFO. */
    public void logPlugins() {
        Logger.info("plug-ins: {}", describe());
    }

    // ---- internals -------------------------------------------------------------------------

    /** What {@link #removeLocked} did: whether the provider was registered, and the change to announce if it was active. */
    private record Removal(boolean found, PluginChange change) {
    }

    private boolean addLocked(PluginKind kind, Object provider, List<PluginChange> changes) {
        checkType(kind, provider);
        String id = readId(kind, provider);
        if (id == null) {
            return false;
        }
        synchronized (stateLock) {
            if (containsLocked(kind, provider)) {
                return false;
            }
            List<Object> forId = providers.get(kind).computeIfAbsent(id, k -> new ArrayList<>(1));
            forId.add(provider);
            if (forId.size() == 1) {
                changes.add(new PluginChange(kind, id, Optional.empty(), Optional.of(provider)));
                return true;
            }
            Logger.warn("plug-ins: a second {} provider with id '{}' ({}) is kept as a standby behind {};"
                    + " it takes over if that one goes away", kind.key(), id, provider.getClass().getName(),
                    forId.get(0).getClass().getName());
            return false;
        }
    }

    private Removal removeLocked(PluginKind kind, Object provider) {
        Map<String, List<Object>> byId = providers.get(kind);
        for (Map.Entry<String, List<Object>> e : byId.entrySet()) {
            List<Object> forId = e.getValue();
            for (int i = 0; i < forId.size(); i++) {
                if (forId.get(i) != provider) {
                    continue;
                }
                forId.remove(i);
                String id = e.getKey();
                if (i > 0) {
                    Logger.info("plug-ins: standby {} provider '{}' ({}) removed", kind.key(), id,
                            provider.getClass().getName());
                    return new Removal(true, null);
                }
                if (forId.isEmpty()) {
                    byId.remove(id);
                    return new Removal(true, new PluginChange(kind, id, Optional.of(provider), Optional.empty()));
                }
                Object next = forId.get(0);
                Logger.warn("plug-ins: {} provider '{}' ({}) went away; standby {} takes over", kind.key(), id,
                        provider.getClass().getName(), next.getClass().getName());
                return new Removal(true, new PluginChange(kind, id, Optional.of(provider), Optional.of(next)));
            }
        }
        return new Removal(false, null);
    }

    private boolean containsLocked(PluginKind kind, Object provider) {
        for (List<Object> forId : providers.get(kind).values()) {
            for (Object p : forId) {
                if (p == provider) {
                    return true;
                }
            }
        }
        return false;
    }

    private Optional<Object> active(PluginKind kind, String id) {
        Objects.requireNonNull(id, "id");
        synchronized (stateLock) {
            List<Object> forId = providers.get(kind).get(id);
            return forId == null || forId.isEmpty() ? Optional.empty() : Optional.of(forId.get(0));
        }
    }

    private <P> SortedMap<String, P> activeMap(PluginKind kind, Class<P> type) {
        SortedMap<String, P> result = new TreeMap<>();
        synchronized (stateLock) {
            for (Map.Entry<String, List<Object>> e : providers.get(kind).entrySet()) {
                result.put(e.getKey(), type.cast(e.getValue().get(0)));
            }
        }
        return Collections.unmodifiableSortedMap(result);
    }

    private void publish(List<PluginChange> changes) {
        if (changes.isEmpty()) {
            return;
        }
        notifyListeners(changes);
        logPlugins();
    }

    private void notifyListeners(List<PluginChange> changes) {
        for (PluginChange change : changes) {
            for (PluginListener listener : listeners) {
                try {
                    listener.onPluginChange(change);
                } catch (Throwable t) {
                    Logger.error(t, "plug-ins: listener {} failed on {} '{}' change", listener,
                            change.kind().key(), change.id());
                }
            }
        }
    }

    /** Calls the plug-in's id(); returns null (after logging) if it fails or is blank. */
    private static String readId(PluginKind kind, Object provider) {
        String id;
        try {
            id = switch (kind) {
                case TRANSPORT -> ((TransportProvider) provider).id();
                case STORAGE -> ((StorageProvider) provider).id();
                case IDENTITY -> ((IdentityProvider) provider).id();
            };
        } catch (Throwable t) {
            Logger.error(t, "plug-ins: {} provider {} failed in id(); ignored", kind.key(),
                    provider.getClass().getName());
            return null;
        }
        if (id == null || id.isBlank()) {
            Logger.error("plug-ins: {} provider {} has no id (id() returned {}); ignored", kind.key(),
                    provider.getClass().getName(), id == null ? "null" : "'" + id + "'");
            return null;
        }
        return id;
    }

    private static void checkType(PluginKind kind, Object provider) {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(provider, "provider");
        if (!kind.type().isInstance(provider)) {
            throw new IllegalArgumentException(provider.getClass().getName() + " is not a "
                    + kind.type().getSimpleName());
        }
    }
}
