package ditto.engine.security;

import java.nio.file.Path;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.time.Instant;
import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The certificate authority of a server peer: it signs the certificate a client receives at
 * login, which names the client's key and carries its {@link PeerGrant}, and the server's own
 * certificate. Clients keep the authority's certificate and accept exactly the peers whose
 * certificates chain to it, so small peers verify each other offline.
 *
 * <p>The key is an EC P-256 key kept like the peer key, in
 * {@code <persistence directory>/auth/}{@value #KEY_FILE} (created on first use, owner-only,
 * never replaced when damaged). The certificate is derived from the key deterministically (same
 * shape and fixed validity as the shared-key authority, {@code CN=Ditto server CA <key string>}),
 * so it is byte-identical across restarts and clients keep trusting it. Immutable and
 * thread-safe.
 */
public final class ServerAuthority {

    /** The key file's name inside {@code auth/}. */
    public static final String KEY_FILE = "server-authority-key.pem";

    /** How long the server's own certificate is valid; it is re-issued at every sync start. */
    static final java.time.Duration OWN_LIFETIME = java.time.Duration.ofDays(365);

    private final SharedKeyAuthority authority;

    private ServerAuthority(PeerIdentity key) {
        this.authority = SharedKeyAuthority.ofKey(((ECPrivateKey) key.privateKey()).getS(), "Ditto server CA ");
    }

    /**
     * Loads the server authority of a persistence directory, creating its key on first use.
     *
     * @param persistenceDirectory the server's persistence directory
     * @return the authority
     * @throws DittoException {@code PERSISTENCE_DIRECTORY} or {@code ENCRYPTION} as for the peer key
     */
    public static ServerAuthority open(Path persistenceDirectory) {
        return new ServerAuthority(PeerIdentity.open(persistenceDirectory, KEY_FILE));
    }

    /**
     * Creates an authority kept in memory only (tests).
     *
     * @return a new authority
     */
    public static ServerAuthority ephemeral() {
        return new ServerAuthority(PeerIdentity.ephemeral());
    }

    /** Returns the authority's certificate: the trust anchor clients keep. */
    public X509Certificate certificate() {
        return authority.certificate();
    }

    /** Returns the peer key string of the authority's key, for logs. */
    public String keyString() {
        return authority.keyString();
    }

    /**
     * Issues a client certificate.
     *
     * @param clientKey the client's EC P-256 public key
     * @param notBefore start of validity (a little before now, tolerating clock skew)
     * @param notAfter end of validity: when the login expires
     * @param grant what the client may do
     * @return the certificate
     * @throws DittoException {@code AUTHENTICATION} if the key is not a P-256 key,
     *         {@code INVALID_ARGUMENTS} if the validity is empty
     */
    public X509Certificate issue(PublicKey clientKey, Instant notBefore, Instant notAfter, PeerGrant grant) {
        Objects.requireNonNull(clientKey, "clientKey");
        Objects.requireNonNull(grant, "grant");
        if (!notAfter.isAfter(notBefore)) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "server authority: validity " + notBefore
                    + " to " + notAfter + " is empty");
        }
        if (!P256.isP256(clientKey)) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "server authority: the client's key is a "
                    + clientKey.getAlgorithm() + " key, not EC P-256");
        }
        return Certificates.granted(clientKey, authority, notBefore, notAfter, grant);
    }

    /**
     * Issues the server's own certificate (everything allowed), valid from a day ago for a year.
     *
     * @param identity the server's peer identity
     * @param now the current time
     * @return the credentials to present in TLS
     */
    public IssuedCredentials ownCredentials(PeerIdentity identity, Instant now) {
        X509Certificate own = issue(identity.publicKey(), now.minus(LinkSecurity.BACKDATING), now.plus(OWN_LIFETIME),
                PeerGrant.SERVER);
        return new IssuedCredentials(own, certificate());
    }
}
