/**
 * The Ditto server peer: opens one Ditto instance from configuration, listens for peers and
 * clients over TCP and HTTP, and keeps sync running.
 *
 * <p>Exports nothing. In OSGi the component {@code ditto.server.ServerPeer} takes the engine's
 * {@link ditto.api.DittoFactory} service and its configuration (PID {@code ditto.server}) from
 * ConfigAdmin, and adds the Gogo command {@code ditto:server}; it reads the {@code ditto.home}
 * framework property through its {@code BundleContext}, hence the static requirement on the
 * OSGi core API, which is never used on the module path. On the module path
 * {@code ditto.server.Main} reads the same settings from a {@code .cfg} file and finds the engine
 * with {@link java.util.ServiceLoader}.
 */
module ditto.server {
    requires ditto.api;
    requires static org.osgi.service.component.annotations;
    requires static osgi.core;

    uses ditto.api.DittoFactory;
}
