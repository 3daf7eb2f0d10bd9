package ditto.engine.osgi;

import java.util.HashMap;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoFactory;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.transport.TransportProvider;
import ditto.engine.DittoEngine;
import ditto.engine.plugin.PluginKind;
import ditto.engine.plugin.PluginRegistry;

/**
 * The engine inside OSGi: a Declarative Services component that registers the engine's
 * {@link DittoFactory} service and feeds the engine core's {@link PluginRegistry} from the service
 * registry. It never calls {@code ServiceLoader}.
 *
 * <p><b>Plug-ins.</b> One dynamic, greedy, 0..n reference per SPI kind: installing, starting,
 * stopping or uninstalling a plug-in bundle binds or unbinds its provider while the component and
 * the instances it opened keep running. The registry tells open instances (a transport from a
 * departing provider is closed before the unbind returns).
 *
 * <p><b>Service properties.</b> The {@code DittoFactory} service carries
 * {@value #PROPERTY_PREFIX}{@code transport}, {@code …storage} and {@code …identity}: String arrays
 * of the active provider ids, sorted, updated on every change. Standard DS (1.5 included) has no
 * way for a component to change its own service properties without configuration; Apache Felix
 * SCR (the DS runtime of Felix and of Equinox) does: with the
 * {@code http://felix.apache.org/xmlns/scr/v1.2.0-felix} namespace, a Map returned by the activate,
 * bind or unbind method becomes the service's properties. This component uses that namespace (its
 * features are all within DS 1.2) and bnd's {@code -dsannotations-options: felixExtensions}, which
 * admits the Map return type. A DS runtime without the extension ignores the returned maps: the
 * service then works but lacks the three properties, and {@link #plugins()} remains the reliable
 * source.
 *
 * <p><b>Lifecycle.</b> Immediate, so the properties are present from registration on.
 * Deactivation (the engine bundle stopping) closes every instance this component opened.
 * Thread-safe: SCR may call bind and unbind from several threads; the registry serializes them.
 */
@Component(service = DittoFactory.class, immediate = true,
        xmlns = "http://felix.apache.org/xmlns/scr/v1.2.0-felix")
public final class DittoFactoryComponent implements DittoFactory {

    /** Prefix of the service properties listing provider ids; the kind name follows. */
    public static final String PROPERTY_PREFIX = "ditto.plugins.";

    private final PluginRegistry registry = new PluginRegistry();
    private final DittoEngine engine = new DittoEngine(registry);

    /** Creates the component; called by SCR. */
    public DittoFactoryComponent() {
    }

    @Override
    public Ditto open(DittoConfig config) {
        return engine.open(config);
    }

    @Override
    public SortedMap<String, SortedSet<String>> plugins() {
        return engine.plugins();
    }

    /**
     * Logs the plug-ins bound before activation and publishes them as service properties.
     *
     * @return the service properties
     */
    @Activate
    Map<String, Object> activate() {
        registry.logPlugins();
        return serviceProperties();
    }

    /** Closes every instance this component opened; SCR calls it when the bundle stops. */
    @Deactivate
    void deactivate() {
        engine.close();
    }

    @Reference(name = "transport", service = TransportProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindTransport")
    Map<String, Object> bindTransport(TransportProvider provider) {
        registry.addTransport(provider);
        return serviceProperties();
    }

    Map<String, Object> unbindTransport(TransportProvider provider) {
        registry.removeTransport(provider);
        return serviceProperties();
    }

    @Reference(name = "storage", service = StorageProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindStorage")
    Map<String, Object> bindStorage(StorageProvider provider) {
        registry.addStorage(provider);
        return serviceProperties();
    }

    Map<String, Object> unbindStorage(StorageProvider provider) {
        registry.removeStorage(provider);
        return serviceProperties();
    }

    @Reference(name = "identity", service = IdentityProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            unbind = "unbindIdentity")
    Map<String, Object> bindIdentity(IdentityProvider provider) {
        registry.addIdentity(provider);
        return serviceProperties();
    }

    Map<String, Object> unbindIdentity(IdentityProvider provider) {
        registry.removeIdentity(provider);
        return serviceProperties();
    }

    /**
     * Returns the service properties for the current provider set: one sorted String array per
     * kind, under {@value #PROPERTY_PREFIX}{@code <kind>}.
     *
     * @return a new map, never null
     */
    Map<String, Object> serviceProperties() {
        Map<String, Object> properties = new HashMap<>();
        for (PluginKind kind : PluginKind.values()) {
            properties.put(PROPERTY_PREFIX + kind.key(), registry.ids(kind).toArray(new String[0]));
        }
        return properties;
    }

    /** Returns the engine core, for tests in this package. */
    DittoEngine engine() {
        return engine;
    }
}
