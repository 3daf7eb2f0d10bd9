package ditto.engine.security;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

import ditto.api.DittoException;

/**
 * Decides whether a remote peer's certificate chain is acceptable, for both TLS roles.
 *
 * <p>Every mode requires a well-formed leaf: currently valid (by the clock), an EC P-256 key,
 * and a {@code ditto:peer:} subject alternative name equal to the peer key string of that key.
 * With a {@link SharedKeyAuthority}, the leaf must also validate by PKIX against that authority
 * as the only trust anchor, and must not itself be a CA; any other issuer is refused. Without
 * one (encrypted but unauthenticated links), the leaf must be self-signed. Extra certificates
 * after the leaf are ignored. Refusals are {@link CertificateException}s whose message says why;
 * JSSE turns them into a fatal alert. Immutable and thread-safe.
 */
final class PeerTrustManager extends X509ExtendedTrustManager {

    private final SharedKeyAuthority authority;
    private final Supplier<X509Certificate> serverAuthority;
    private final Clock clock;

    /**
     * Creates a trust manager.
     *
     * @param authority the shared-key authority every peer must chain to, or null to accept
     *        self-signed peers
     * @param clock the clock validity is checked against
     */
    PeerTrustManager(SharedKeyAuthority authority, Clock clock) {
        this.authority = authority;
        this.serverAuthority = null;
        this.clock = clock;
    }

    /**
     * Creates the trust manager of a peer that belongs to a server authority: every remote leaf
     * must chain to the authority's certificate and carry a {@link PeerGrant}.
     *
     * @param serverAuthority gives the current authority certificate, or null while there is
     *        none (not logged in: everybody is refused)
     * @param clock the clock validity is checked against
     */
    PeerTrustManager(Supplier<X509Certificate> serverAuthority, Clock clock) {
        this.authority = null;
        this.serverAuthority = serverAuthority;
        this.clock = clock;
    }

    /**
     * Checks a chain and returns the peer key string of its leaf.
     *
     * @param chain the presented chain, leaf first
     * @return the remote peer key string
     * @throws CertificateException if the chain is refused; the message says why
     */
    String verify(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the peer presented no certificate");
        }
        X509Certificate leaf = chain[0];
        Date now = Date.from(clock.instant());
        try {
            leaf.checkValidity(now);
        } catch (CertificateExpiredException e) {
            throw new CertificateException("the peer certificate expired on " + leaf.getNotAfter().toInstant(), e);
        } catch (CertificateNotYetValidException e) {
            throw new CertificateException("the peer certificate is not valid before "
                    + leaf.getNotBefore().toInstant(), e);
        }
        if (!P256.isP256(leaf.getPublicKey())) {
            throw new CertificateException("the peer certificate's key is a " + leaf.getPublicKey().getAlgorithm()
                    + " key, not EC P-256");
        }
        String peerKey = PeerIdentity.peerKeyOf(leaf.getPublicKey());
        Optional<String> claimed = Certificates.claimedPeerKey(leaf);
        if (claimed.isEmpty()) {
            throw new CertificateException("the peer certificate names no '" + Certificates.PEER_URI_PREFIX
                    + "' peer key");
        }
        if (!claimed.get().equals(peerKey)) {
            throw new CertificateException("the peer certificate claims peer key " + claimed.get()
                    + " but its public key gives " + peerKey);
        }
        if (serverAuthority != null) {
            X509Certificate anchor = serverAuthority.get();
            if (anchor == null) {
                throw new CertificateException("this peer holds no server authority (it is not logged in)");
            }
            checkChain(leaf, now, anchor, "the server authority " + PeerIdentity.peerKeyOf(anchor.getPublicKey())
                    + ": the peer was not authenticated by this server");
            try {
                if (PeerGrant.of(leaf).isEmpty()) {
                    throw new CertificateException("the peer certificate carries no permissions grant");
                }
            } catch (DittoException e) {
                throw new CertificateException(e.getMessage(), e);
            }
        } else if (authority != null) {
            checkChain(leaf, now, authority.certificate(), "this shared key's authority " + authority.keyString()
                    + ": the peer holds another shared key or none");
        } else {
            checkSelfSigned(leaf);
        }
        return peerKey;
    }

    private static void checkChain(X509Certificate leaf, Date now, X509Certificate anchor, String anchorDescription)
            throws CertificateException {
        if (leaf.getBasicConstraints() >= 0) {
            throw new CertificateException("the peer presented a CA certificate instead of a peer certificate");
        }
        try {
            PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(anchor, null)));
            parameters.setRevocationEnabled(false);
            parameters.setDate(now);
            CertPathValidator.getInstance("PKIX").validate(
                    CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
        } catch (CertPathValidatorException e) {
            throw new CertificateException("the peer certificate (issuer '" + leaf.getIssuerX500Principal()
                    + "') does not chain to " + anchorDescription + " (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the peer certificate could not be validated: " + e.getMessage(), e);
        }
    }

    private static void checkSelfSigned(X509Certificate leaf) throws CertificateException {
        boolean selfSigned = leaf.getSubjectX500Principal().equals(leaf.getIssuerX500Principal());
        if (selfSigned) {
            try {
                leaf.verify(leaf.getPublicKey());
            } catch (GeneralSecurityException e) {
                selfSigned = false;
            }
        }
        if (!selfSigned) {
            throw new CertificateException("the peer certificate is not self-signed (issuer '"
                    + leaf.getIssuerX500Principal() + "'): the peer uses a shared key and this peer has none");
        }
    }

    private void check(X509Certificate[] chain) throws CertificateException {
        try {
            verify(chain);
        } catch (DittoException e) {
            throw new CertificateException(e.getMessage(), e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain);
    }

    /** The authority's certificate with a shared key (sent in CertificateRequest); none without. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        X509Certificate anchor = serverAuthority != null ? serverAuthority.get()
                : authority != null ? authority.certificate() : null;
        return anchor == null ? new X509Certificate[0] : new X509Certificate[] {anchor};
    }
}
