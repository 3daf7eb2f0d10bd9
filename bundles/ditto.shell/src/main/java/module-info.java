/**
 * The Ditto shell: the {@code ditto:*} Gogo commands inside an OSGi container and the same
 * commands as a plain command-line program on the module path ({@code ditto.shell.Main}).
 *
 * <p>Exports nothing. In OSGi it takes the engine's {@link ditto.api.DittoFactory} service; on
 * the module path it finds the engine with {@link java.util.ServiceLoader}.
 */
module ditto.shell {
    requires ditto.api;
    requires static org.osgi.service.component.annotations;

    uses ditto.api.DittoFactory;
}
