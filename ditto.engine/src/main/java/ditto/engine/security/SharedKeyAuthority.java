package ditto.engine.security;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The certificate authority that a small-peers-only shared key stands for.
 *
 * <p>Derivation, identical on every peer that holds the key:
 * <ol>
 *   <li>OKM = HKDF-SHA256 (RFC 5869) with IKM = the shared key bytes, no salt, info =
 *       {@link #HKDF_INFO} (ASCII), length 48 bytes;</li>
 *   <li>private scalar d = (OKM as an unsigned big-endian number mod (n − 1)) + 1, n being the
 *       P-256 order (the 128 extra bits make the bias negligible, as in FIPS 186-4 B.4.1);</li>
 *   <li>a self-signed certificate: serial 1, validity {@link #NOT_BEFORE} to {@link #NOT_AFTER},
 *       subject and issuer {@code CN=Ditto small-peers CA <peer key string of d·G>, O=Ditto},
 *       basicConstraints CA with path length 0 (critical), keyUsage keyCertSign and cRLSign
 *       (critical), a SHA-1 subject key identifier, signed with deterministic ECDSA (RFC 6979,
 *       SHA-256), so its bytes are the same everywhere.</li>
 * </ol>
 * Every holder can therefore issue peer certificates under this authority, and a peer without
 * the key can neither issue one nor recognise the authority. The derivation is only as strong
 * as the shared key: anyone who sees a peer certificate can test guesses offline, so the key
 * must be random (16 bytes or more), not a password.
 *
 * <p>Immutable and thread-safe; holds the authority's private key.
 */
final class SharedKeyAuthority {

    /** The HKDF info string: changing it changes every derived authority. */
    static final String HKDF_INFO = "openditto small-peers CA P-256 v1";

    /** Fixed start of validity, so that every holder derives the same certificate. */
    static final Instant NOT_BEFORE = Instant.parse("2000-01-01T00:00:00Z");

    /** Fixed end of validity: RFC 5280's "no well-defined expiration date". */
    static final Instant NOT_AFTER = Instant.parse("9999-12-31T23:59:59Z");

    private static final int OKM_BYTES = 48;

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final X500Name name;
    private final X509Certificate certificate;

    private SharedKeyAuthority(BigInteger d) {
        this(d, "Ditto small-peers CA ");
    }

    private SharedKeyAuthority(BigInteger d, String label) {
        this.privateKey = P256.privateKey(d);
        this.publicKey = P256.publicKey(d);
        this.name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Ditto")
                .addRDN(BCStyle.CN, label + PeerIdentity.peerKeyOf(publicKey)).build();
        this.certificate = selfSign(d);
    }

    /**
     * Builds an authority of the same shape from a stored key: the server peer's authority
     * ({@link ServerAuthority}), named {@code CN=<label><key string>}.
     *
     * @param d the private scalar
     * @param label the common name's prefix
     * @return the authority
     */
    static SharedKeyAuthority ofKey(BigInteger d, String label) {
        return new SharedKeyAuthority(d, label);
    }

    /**
     * Derives the authority of a shared key.
     *
     * @param sharedKey the shared secret, at least one byte; not kept
     * @return the authority
     * @throws DittoException {@code INVALID_CONFIG} if the key is empty
     */
    static SharedKeyAuthority derive(byte[] sharedKey) {
        if (sharedKey.length == 0) {
            throw new DittoException(ErrorCode.INVALID_CONFIG,
                    "small-peers-only shared key: the key is empty; use 16 or more random bytes, or null for none");
        }
        HKDFBytesGenerator hkdf = new HKDFBytesGenerator(new SHA256Digest());
        hkdf.init(new HKDFParameters(sharedKey, null, HKDF_INFO.getBytes(StandardCharsets.US_ASCII)));
        byte[] okm = new byte[OKM_BYTES];
        hkdf.generateBytes(okm, 0, okm.length);
        BigInteger d = new BigInteger(1, okm).mod(P256.order().subtract(BigInteger.ONE)).add(BigInteger.ONE);
        Arrays.fill(okm, (byte) 0);
        return new SharedKeyAuthority(d);
    }

    X509Certificate certificate() {
        return certificate;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    PrivateKey privateKey() {
        return privateKey;
    }

    X500Name name() {
        return name;
    }

    /** Returns the peer key string of the authority's public key, for logs and diagnostics. */
    String keyString() {
        return PeerIdentity.peerKeyOf(publicKey);
    }

    /** Returns the DER encoding of the certificate. */
    byte[] encoded() {
        try {
            return certificate.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("a built certificate cannot be encoded", e);
        }
    }

    private X509Certificate selfSign(BigInteger d) {
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                Date.from(NOT_BEFORE), Date.from(NOT_AFTER), name, publicKey);
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    Certificates.extensionUtils().createSubjectKeyIdentifier(publicKey));
        } catch (CertIOException e) {
            throw new DittoException(ErrorCode.INTERNAL, "shared-key authority: cannot add extensions: "
                    + e.getMessage(), e);
        }
        return Certificates.toJdk(builder, Certificates.deterministicSigner(d));
    }
}
