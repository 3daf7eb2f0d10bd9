package ditto.engine;

import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.concurrent.ConcurrentHashMap;

import org.tinylog.Logger;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.engine.log.TinylogSetup;
import ditto.engine.plugin.PluginRegistry;

/**
 * The engine core: opens Ditto instances over the plug-ins of one {@link PluginRegistry}. Plain
 * Java with no knowledge of how plug-ins are found; the two adapters around it are
 * {@link DittoEngineFactory} (ServiceLoader bootstrap, module and class path) and
 * {@code ditto.engine.osgi.DittoFactoryComponent} (Declarative Services).
 *
 * <p>Invariant: {@link #openInstances} holds exactly the instances this engine opened that are not
 * closed yet, so {@link #close()} (the OSGi component going away) can close them all. Thread-safe.
 */
public final class DittoEngine implements AutoCloseable {

    private final PluginRegistry registry;
    private final Set<DittoInstance> openInstances = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * Creates an engine core over a registry, which may still be empty and may change at any time.
     * Installs the engine's logging configuration first, so that everything logged afterwards
     * (the plug-in set included) goes where it is configured.
     *
     * @param registry the plug-ins to use, never null
     */
    public DittoEngine(PluginRegistry registry) {
        TinylogSetup.install();
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /**
     * Opens an instance; see {@link ditto.api.DittoFactory#open(DittoConfig)}.
     *
     * @param config the configuration, never null
     * @return the open instance
     * @throws DittoException INVALID_CONFIG, PERSISTENCE_DIRECTORY, NOT_AVAILABLE (also when this
     *         engine was closed), or STORE/ENCRYPTION from the storage backend
     */
    public Ditto open(DittoConfig config) {
        Objects.requireNonNull(config, "config");
        checkOpen();
        DittoInstance instance = DittoInstance.open(config, registry, openInstances::remove);
        openInstances.add(instance);
        if (closed) {
            instance.closeBecause("the Ditto engine was stopped");
            checkOpen();
        }
        return instance;
    }

    /** Returns the loaded plug-ins; see {@link ditto.api.DittoFactory#plugins()}. */
    public SortedMap<String, SortedSet<String>> plugins() {
        return registry.plugins();
    }

    /** Returns the registry this engine uses. */
    public PluginRegistry registry() {
        return registry;
    }

    /** Returns how many instances opened by this engine are still open. */
    public int openInstanceCount() {
        return openInstances.size();
    }

    /**
     * Closes every instance this engine opened and refuses to open more. Used when the OSGi
     * component deactivates (its bundle stops): instances must not outlive the engine code.
     * Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        List<DittoInstance> toClose = List.copyOf(openInstances);
        if (!toClose.isEmpty()) {
            Logger.info("engine stopping: closing {} open Ditto instance(s)", toClose.size());
        }
        for (DittoInstance instance : toClose) {
            try {
                instance.closeBecause("the Ditto engine was stopped");
            } catch (Throwable t) {
                Logger.error(t, "engine stopping: closing the instance at {} failed",
                        instance.absolutePersistenceDirectory());
            }
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new DittoException(ErrorCode.NOT_AVAILABLE,
                    "open: this Ditto engine was stopped (its component was deactivated); take the current"
                            + " ditto.api.DittoFactory service again");
        }
    }
}
