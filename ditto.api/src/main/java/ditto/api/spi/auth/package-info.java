/**
 * The identity provider plug-in contract.
 *
 * <p>An identity provider verifies a login token or credentials presented to a server peer
 * and answers who the client is, until when, and what it may read and write. A bundle
 * registers one {@link ditto.api.spi.auth.IdentityProvider} per provider name.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package ditto.api.spi.auth;
