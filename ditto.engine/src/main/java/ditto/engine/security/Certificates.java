package ditto.engine.security;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Builds the X.509 certificates of this package with Bouncy Castle's {@code bcpkix}, and reads
 * the peer key a certificate claims.
 *
 * <p>Peer certificates: subject {@code CN=<peer key string>, O=Ditto peer}, a subject
 * alternative name URI {@code ditto:peer:<peer key string>}, not a CA, key usage
 * digitalSignature, extended key usage serverAuth and clientAuth, a random 127-bit serial,
 * signed with SHA256withECDSA by the JDK's provider. Authority certificates are built by
 * {@link SharedKeyAuthority} with {@link #deterministicSigner(java.math.BigInteger)}, so every
 * holder of a shared key derives byte-identical ones. Stateless and thread-safe.
 */
final class Certificates {

    /** The scheme-specific prefix of the peer URI in the subject alternative name. */
    static final String PEER_URI_PREFIX = "ditto:peer:";

    static final String SIGNATURE_ALGORITHM = "SHA256withECDSA";

    private static final SecureRandom RANDOM = new SecureRandom();

    private Certificates() {
    }

    /**
     * Builds a self-signed peer certificate.
     *
     * @param identity whose key is certified and signs
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @return the certificate
     */
    static X509Certificate selfSigned(PeerIdentity identity, Instant notBefore, Instant notAfter) {
        X500Name subject = peerName(identity.peerKeyString());
        return peerCertificate(subject, identity.publicKey(), identity.peerKeyString(), subject, identity.publicKey(),
                null, signer(identity.privateKey()), notBefore, notAfter, null);
    }

    /**
     * Builds a peer certificate signed by an authority.
     *
     * @param identity whose key is certified
     * @param authority the issuer
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @return the certificate
     */
    static X509Certificate issued(PeerIdentity identity, SharedKeyAuthority authority, Instant notBefore,
            Instant notAfter) {
        return peerCertificate(peerName(identity.peerKeyString()), identity.publicKey(), identity.peerKeyString(),
                authority.name(), authority.publicKey(), authority.certificate(), signer(authority.privateKey()),
                notBefore, notAfter, null);
    }

    /**
     * Builds a peer certificate for any P-256 key, signed by a server authority and carrying a
     * {@link PeerGrant}.
     *
     * @param subjectKey the certified key
     * @param authority the issuer
     * @param notBefore start of validity
     * @param notAfter end of validity
     * @param grant the grant to embed
     * @return the certificate
     */
    static X509Certificate granted(PublicKey subjectKey, SharedKeyAuthority authority, Instant notBefore,
            Instant notAfter, PeerGrant grant) {
        String peerKey = PeerIdentity.peerKeyOf(subjectKey);
        return peerCertificate(peerName(peerKey), subjectKey, peerKey, authority.name(), authority.publicKey(),
                authority.certificate(), signer(authority.privateKey()), notBefore, notAfter, grant);
    }

    /**
     * Returns the peer key a certificate claims in its subject alternative name.
     *
     * @param certificate any certificate
     * @return the claimed peer key string, or empty if there is no {@code ditto:peer:} URI
     */
    static Optional<String> claimedPeerKey(X509Certificate certificate) {
        Collection<List<?>> names;
        try {
            names = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return Optional.empty();
        }
        if (names == null) {
            return Optional.empty();
        }
        for (List<?> name : names) {
            if (name.size() == 2 && Integer.valueOf(GeneralName.uniformResourceIdentifier).equals(name.get(0))
                    && name.get(1) instanceof String uri && uri.startsWith(PEER_URI_PREFIX)) {
                return Optional.of(uri.substring(PEER_URI_PREFIX.length()));
            }
        }
        return Optional.empty();
    }

    /** A signer by the JDK's SHA256withECDSA (randomized nonces). */
    static ContentSigner signer(PrivateKey key) {
        try {
            return new JcaContentSignerBuilder(SIGNATURE_ALGORITHM).build(key);
        } catch (OperatorCreationException e) {
            throw new DittoException(ErrorCode.INTERNAL, "certificate: cannot create a " + SIGNATURE_ALGORITHM
                    + " signer: " + e.getMessage(), e);
        }
    }

    /**
     * A SHA256withECDSA signer whose nonces follow RFC 6979 (deterministic ECDSA), so the same
     * key and content always give the same signature.
     *
     * @param d the P-256 private scalar
     * @return a one-use signer
     */
    static ContentSigner deterministicSigner(BigInteger d) {
        return new ContentSigner() {
            private final ByteArrayOutputStream content = new ByteArrayOutputStream();

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return new AlgorithmIdentifier(X9ObjectIdentifiers.ecdsa_with_SHA256);
            }

            @Override
            public OutputStream getOutputStream() {
                return content;
            }

            @Override
            public byte[] getSignature() {
                byte[] message = content.toByteArray();
                SHA256Digest digest = new SHA256Digest();
                digest.update(message, 0, message.length);
                byte[] hash = new byte[digest.getDigestSize()];
                digest.doFinal(hash, 0);
                ECDSASigner ecdsa = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                ecdsa.init(true, new ECPrivateKeyParameters(d, P256.DOMAIN));
                BigInteger[] rs = ecdsa.generateSignature(hash);
                ASN1EncodableVector sequence = new ASN1EncodableVector(2);
                sequence.add(new ASN1Integer(rs[0]));
                sequence.add(new ASN1Integer(rs[1]));
                try {
                    return new DERSequence(sequence).getEncoded(ASN1Encoding.DER);
                } catch (IOException e) {
                    throw new IllegalStateException("cannot encode an ECDSA signature", e);
                }
            }
        };
    }

    /** Converts a built certificate to the JDK's type. */
    static X509Certificate toJdk(X509v3CertificateBuilder builder, ContentSigner signer) {
        try {
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (GeneralSecurityException e) {
            throw new DittoException(ErrorCode.INTERNAL, "certificate: the JDK cannot read a built certificate: "
                    + e.getMessage(), e);
        }
    }

    static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new DittoException(ErrorCode.INTERNAL, "certificate: SHA-1 key identifiers are unavailable: "
                    + e.getMessage(), e);
        }
    }

    private static X500Name peerName(String peerKey) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Ditto peer").addRDN(BCStyle.CN, peerKey)
                .build();
    }

    private static X509Certificate peerCertificate(X500Name subject, PublicKey subjectKey, String peerKey,
            X500Name issuer, PublicKey issuerKey, X509Certificate issuerCertificate, ContentSigner signer,
            Instant notBefore, Instant notAfter, PeerGrant grant) {
        BigInteger serial = new BigInteger(127, RANDOM).setBit(0);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(issuer, serial,
                Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
        JcaX509ExtensionUtils utils = extensionUtils();
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                    new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
            builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                    new GeneralName(GeneralName.uniformResourceIdentifier, PEER_URI_PREFIX + peerKey)));
            builder.addExtension(Extension.subjectKeyIdentifier, false,
                    utils.createSubjectKeyIdentifier(subjectKey));
            builder.addExtension(Extension.authorityKeyIdentifier, false, issuerCertificate != null
                    ? utils.createAuthorityKeyIdentifier(issuerCertificate)
                    : utils.createAuthorityKeyIdentifier(issuerKey));
            if (grant != null) {
                builder.addExtension(PeerGrant.oid(), false, new DEROctetString(grant.encode()));
            }
        } catch (CertIOException | GeneralSecurityException e) {
            throw new DittoException(ErrorCode.INTERNAL, "certificate: cannot add extensions: " + e.getMessage(), e);
        }
        return toJdk(builder, signer);
    }
}
