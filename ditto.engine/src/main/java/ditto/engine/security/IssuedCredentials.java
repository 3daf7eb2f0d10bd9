package ditto.engine.security;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Objects;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * A certificate a server authority issued to this peer's key, with the authority's own
 * certificate: what a client presents and trusts once logged in. Immutable and thread-safe.
 *
 * @param certificate the peer certificate, carrying a {@link PeerGrant}
 * @param authority the issuing authority's certificate (the trust anchor)
 */
public record IssuedCredentials(X509Certificate certificate, X509Certificate authority) {

    /** Checks the parts. */
    public IssuedCredentials {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(authority, "authority");
    }

    /** Returns when the certificate stops being valid. */
    public Instant expiresAt() {
        return certificate.getNotAfter().toInstant();
    }

    /**
     * Returns the grant the certificate carries.
     *
     * @throws DittoException {@code AUTHENTICATION} if it carries none or a malformed one
     */
    public PeerGrant grant() {
        return PeerGrant.of(certificate).orElseThrow(() -> new DittoException(ErrorCode.AUTHENTICATION,
                "issued certificate: it carries no grant"));
    }

    /**
     * Checks that the certificate certifies this identity's key and is signed by the authority.
     *
     * @param identity the identity that will present it
     * @throws DittoException {@code AUTHENTICATION} naming the mismatch
     */
    public void checkFor(PeerIdentity identity) {
        String certified = PeerIdentity.peerKeyOf(certificate.getPublicKey());
        if (!certified.equals(identity.peerKeyString())) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "issued certificate: it certifies key " + certified
                    + ", not this peer's key " + identity.peerKeyString());
        }
        String claimed = Certificates.claimedPeerKey(certificate).orElse("");
        if (!claimed.equals(identity.peerKeyString())) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "issued certificate: it names peer '" + claimed
                    + "', not " + identity.peerKeyString());
        }
        try {
            certificate.verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new DittoException(ErrorCode.AUTHENTICATION, "issued certificate: it is not signed by the authority "
                    + authority.getSubjectX500Principal() + " (" + e.getMessage() + ")", e);
        }
        grant();
    }

    /**
     * Encodes a certificate as a PEM block.
     *
     * @param certificate the certificate
     * @return the PEM text
     */
    public static String pem(X509Certificate certificate) {
        try {
            return "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(certificate.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (CertificateEncodingException e) {
            throw new DittoException(ErrorCode.INTERNAL, "certificate: cannot encode: " + e.getMessage(), e);
        }
    }

    /**
     * Decodes one PEM certificate block.
     *
     * @param pem the PEM text
     * @param what names the certificate for errors
     * @return the certificate
     * @throws DittoException {@code AUTHENTICATION} if it is not one well-formed certificate
     */
    public static X509Certificate parsePem(String pem, String what) {
        String begin = "-----BEGIN CERTIFICATE-----";
        String end = "-----END CERTIFICATE-----";
        int b = pem == null ? -1 : pem.indexOf(begin);
        int e = b < 0 ? -1 : pem.indexOf(end, b);
        if (b < 0 || e < 0) {
            throw new DittoException(ErrorCode.AUTHENTICATION, what + ": not a PEM certificate");
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + begin.length(), e));
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (GeneralSecurityException | IllegalArgumentException | ClassCastException ex) {
            throw new DittoException(ErrorCode.AUTHENTICATION, what + ": malformed certificate: " + ex.getMessage(), ex);
        }
    }
}
