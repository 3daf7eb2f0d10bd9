package ditto.engine.plugin;

import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.storage.StorageProvider;
import ditto.api.spi.transport.TransportProvider;

/**
 * The three kinds of plug-in the engine takes, each with its SPI interface and the name used in
 * {@link ditto.api.DittoFactory#plugins()}, in log lines and in the OSGi service properties
 * {@code ditto.plugins.<name>}. Declaration order is the order log lines print them in.
 */
public enum PluginKind {
    /** Transports: {@link TransportProvider}. */
    TRANSPORT("transport", TransportProvider.class),
    /** Storage backends: {@link StorageProvider}. */
    STORAGE("storage", StorageProvider.class),
    /** Identity providers: {@link IdentityProvider}. */
    IDENTITY("identity", IdentityProvider.class);

    private final String key;
    private final Class<?> type;

    PluginKind(String key, Class<?> type) {
        this.key = key;
        this.type = type;
    }

    /** Returns the lower-case name of the kind: {@code transport}, {@code storage} or {@code identity}. */
    public String key() {
        return key;
    }

    /** Returns the SPI interface providers of this kind implement. */
    public Class<?> type() {
        return type;
    }
}
