/**
 * Identity providers for server peers. This version contains the development provider
 * ({@code __ditto_dev_provider}), which grants every login with full permissions when the server
 * runs in development mode. Exports nothing: the providers are reached through
 * {@link ditto.api.spi.auth.IdentityProvider} only.
 */
module ditto.auth {
    requires ditto.api;
    requires static org.osgi.service.component.annotations;

    provides ditto.api.spi.auth.IdentityProvider with ditto.auth.DevelopmentIdentityProvider;
}
