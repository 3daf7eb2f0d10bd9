/**
 * The contract suite for identity providers: {@link ditto.testkit.auth.IdentityProviderContract}
 * holds the tests every {@link ditto.api.spi.auth.IdentityProvider} must pass; a provider's test
 * class extends it and supplies the provider and its settings.
 */
package ditto.testkit.auth;
