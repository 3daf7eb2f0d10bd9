/**
 * The Ditto application API and plug-in SPI.
 *
 * <p>Applications use {@code ditto.api}: open a database with {@link ditto.api.Ditto#open},
 * read and write with DQL, observe live queries and sync with peers. Plug-ins (transports,
 * identity providers, storage backends) implement the contracts in {@code ditto.api.spi.*}.
 * This module depends on the JDK only.
 */
module ditto.api {
    requires static org.osgi.annotation.bundle;
    requires static org.osgi.annotation.versioning;

    exports ditto.api;
    exports ditto.api.spi.transport;
    exports ditto.api.spi.auth;
    exports ditto.api.spi.storage;

    uses ditto.api.DittoFactory;
}
