package ditto.engine;

import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoFactory;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.transport.TransportProvider;
import ditto.engine.plugin.PluginRegistry;
import ditto.engine.plugin.ProviderSource;
import ditto.engine.plugin.ServiceLoaderProviderSource;

/**
 * The engine's {@link DittoFactory} for the module path and the class path: the
 * {@code ServiceLoader} bootstrap. {@link Ditto#open(DittoConfig)} finds this class through
 * {@code ServiceLoader} (the engine's module descriptor {@code provides} it, and
 * {@code META-INF/services/ditto.api.DittoFactory} lists it for class-path applications).
 *
 * <p>On construction it loads every transport, storage and identity provider that
 * {@code ServiceLoader} can see into a fresh {@link PluginRegistry}, logs the set, and then serves
 * {@link #open} from that fixed set. Each factory object has its own registry; instances opened
 * through different factory objects still exclude each other from a persistence directory.
 * Inside OSGi this class is not used: the Declarative Services component
 * {@code ditto.engine.osgi.DittoFactoryComponent} feeds its registry from the service registry
 * and never calls {@code ServiceLoader}. Thread-safe.
 */
public final class DittoEngineFactory implements DittoFactory {

    private final DittoEngine engine;

    /** Creates the factory and loads the plug-ins with {@code ServiceLoader}; called by {@code ServiceLoader}. */
    public DittoEngineFactory() {
        this(new ServiceLoaderProviderSource());
    }

    /** Creates the factory with the plug-ins a given source finds. */
    DittoEngineFactory(ProviderSource source) {
        Objects.requireNonNull(source, "source");
        PluginRegistry registry = new PluginRegistry();
        this.engine = new DittoEngine(registry);
        registry.addAll(source.load(TransportProvider.class), source.load(StorageProvider.class),
                source.load(IdentityProvider.class));
    }

    @Override
    public Ditto open(DittoConfig config) {
        return engine.open(config);
    }

    @Override
    public SortedMap<String, SortedSet<String>> plugins() {
        return engine.plugins();
    }

    /** Returns the engine core behind this factory. */
    DittoEngine engine() {
        return engine;
    }
}
