package ditto.engine.security;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * The one key type of this package, EC P-256 (secp256r1), and the arithmetic the JDK does not
 * offer: deriving a public point from a private scalar (with Bouncy Castle's curve math) and the
 * canonical SubjectPublicKeyInfo encoding that peer key strings hash.
 *
 * <p>Invariants: every key this class returns is on P-256 with the JDK's own parameter spec, so
 * SunEC and SunJSSE use it as is; {@link #spki(ECPoint)} always gives the same 91 bytes for the
 * same point (named-curve OID, uncompressed point), whatever encoding a certificate used.
 * Stateless and thread-safe.
 */
final class P256 {

    /** The DER prefix of a P-256 SubjectPublicKeyInfo up to the uncompressed point's 0x04 byte. */
    private static final byte[] SPKI_PREFIX =
            HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d03010703420004");

    /** Length in bytes of a field element and of a private scalar. */
    static final int FIELD_BYTES = 32;

    /** The canonical SubjectPublicKeyInfo length: prefix, then x and y. */
    static final int SPKI_BYTES = SPKI_PREFIX.length + 2 * FIELD_BYTES;

    private static final X9ECParameters CURVE = ECNamedCurveTable.getByName("secp256r1");
    static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
    static final ECParameterSpec PARAMS = jdkParameters();

    private P256() {
    }

    /** Returns the order n of the base point. */
    static BigInteger order() {
        return PARAMS.getOrder();
    }

    /**
     * Returns the public key d·G for a private scalar.
     *
     * @param d the private scalar, in [1, n-1]
     * @return the JDK public key
     */
    static ECPublicKey publicKey(BigInteger d) {
        requireScalar(d);
        org.bouncycastle.math.ec.ECPoint q =
                new FixedPointCombMultiplier().multiply(DOMAIN.getG(), d).normalize();
        ECPoint w = new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger());
        try {
            return (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused a P-256 public key: " + e.getMessage(), e);
        }
    }

    /**
     * Returns the JDK private key for a scalar.
     *
     * @param d the private scalar, in [1, n-1]
     * @return the JDK private key
     */
    static ECPrivateKey privateKey(BigInteger d) {
        requireScalar(d);
        try {
            return (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, PARAMS));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK refused a P-256 private key: " + e.getMessage(), e);
        }
    }

    /**
     * Tells whether a public key is an EC key on P-256 (by curve, generator and order, not by
     * the provider's name for it).
     *
     * @param key any key, may be null
     * @return true for a P-256 key
     */
    static boolean isP256(PublicKey key) {
        if (!(key instanceof ECPublicKey ec)) {
            return false;
        }
        ECParameterSpec spec = ec.getParams();
        return spec != null && spec.getCurve().equals(PARAMS.getCurve())
                && spec.getGenerator().equals(PARAMS.getGenerator())
                && spec.getOrder().equals(PARAMS.getOrder());
    }

    /**
     * Returns the canonical SubjectPublicKeyInfo of a point: the named-curve OID and the
     * uncompressed point.
     *
     * @param w a point on P-256
     * @return 91 bytes
     */
    static byte[] spki(ECPoint w) {
        byte[] out = Arrays.copyOf(SPKI_PREFIX, SPKI_BYTES);
        putFixed(w.getAffineX(), out, SPKI_PREFIX.length);
        putFixed(w.getAffineY(), out, SPKI_PREFIX.length + FIELD_BYTES);
        return out;
    }

    /**
     * Returns the uncompressed SEC1 encoding of a point ({@code 04 || x || y}).
     *
     * @param w a point on P-256
     * @return 65 bytes
     */
    static byte[] uncompressedPoint(ECPoint w) {
        byte[] spki = spki(w);
        return Arrays.copyOfRange(spki, SPKI_PREFIX.length - 1, SPKI_BYTES);
    }

    /** Writes a non-negative number as exactly {@link #FIELD_BYTES} big-endian bytes. */
    static void putFixed(BigInteger value, byte[] out, int offset) {
        byte[] raw = value.toByteArray();
        int skip = raw.length > FIELD_BYTES ? raw.length - FIELD_BYTES : 0; // a leading sign byte
        int length = raw.length - skip;
        System.arraycopy(raw, skip, out, offset + FIELD_BYTES - length, length);
    }

    private static void requireScalar(BigInteger d) {
        if (d.signum() <= 0 || d.compareTo(order()) >= 0) {
            throw new IllegalArgumentException("P-256 private scalar out of range");
        }
    }

    private static ECParameterSpec jdkParameters() {
        try {
            java.security.AlgorithmParameters parameters = java.security.AlgorithmParameters.getInstance("EC");
            parameters.init(new java.security.spec.ECGenParameterSpec("secp256r1"));
            return parameters.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no EC P-256 support: " + e.getMessage(), e);
        }
    }
}
