/**
 * Identity providers for server peers: the development provider ({@code __ditto_dev_provider}),
 * which grants every login with full permissions when the server runs in development mode, the
 * signed-token provider ({@code jwt}) and the HTTP webhook provider ({@code webhook}). Exports
 * nothing: the providers are reached through {@link ditto.api.spi.auth.IdentityProvider} only.
 */
module ditto.auth {
    requires ditto.api;
    requires java.net.http;
    requires static org.osgi.service.component.annotations;

    provides ditto.api.spi.auth.IdentityProvider with ditto.auth.DevelopmentIdentityProvider,
            ditto.auth.JwtIdentityProvider, ditto.auth.WebhookIdentityProvider;
}
