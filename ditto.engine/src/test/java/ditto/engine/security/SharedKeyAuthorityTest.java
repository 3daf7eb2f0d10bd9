package ditto.engine.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Instant;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class SharedKeyAuthorityTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    /**
     * The authority key string for {@link #KEY}. Pinned: if the derivation changes, peers of
     * different versions no longer recognise each other, so this must never change silently.
     */
    private static final String KEY_AUTHORITY = "pkxZMpCLBOw9ueVzMbsZO4ezDYKkDuC4Xpbs89g1DmYVE";

    @Test
    void sameSharedKeyDerivesTheIdenticalAuthorityCertificate() {
        // when
        SharedKeyAuthority first = SharedKeyAuthority.derive(KEY);
        SharedKeyAuthority second = SharedKeyAuthority.derive(KEY.clone());

        // then
        assertArrayEquals(first.encoded(), second.encoded());
        assertEquals(first.keyString(), second.keyString());
    }

    @Test
    void derivationIsPinned() {
        assertEquals(KEY_AUTHORITY, SharedKeyAuthority.derive(KEY).keyString());
    }

    @Test
    void derivationFollowsTheDocumentedHkdfRecipe() throws Exception {
        // given an independent HKDF-SHA256 (RFC 5869) on the JDK's HMAC: no salt, the documented info, 48 bytes
        Mac hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        byte[] prk = hmac.doFinal(KEY);
        hmac.init(new SecretKeySpec(prk, "HmacSHA256"));
        byte[] info = "openditto small-peers CA P-256 v1".getBytes(StandardCharsets.US_ASCII);
        hmac.update(info);
        hmac.update((byte) 1);
        byte[] t1 = hmac.doFinal();
        hmac.update(t1);
        hmac.update(info);
        hmac.update((byte) 2);
        byte[] t2 = hmac.doFinal();
        byte[] okm = new byte[48];
        System.arraycopy(t1, 0, okm, 0, 32);
        System.arraycopy(t2, 0, okm, 32, 16);
        BigInteger n = P256.order();
        BigInteger d = new BigInteger(1, okm).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);

        // then
        assertEquals(P256.publicKey(d), SharedKeyAuthority.derive(KEY).publicKey());
    }

    @Test
    void differentSharedKeysDeriveDifferentAuthorities() {
        // given
        byte[] other = KEY.clone();
        other[0] ^= 1;

        // then
        assertNotEquals(SharedKeyAuthority.derive(KEY).keyString(), SharedKeyAuthority.derive(other).keyString());
    }

    @Test
    void authorityCertificateIsASelfSignedCaWithFixedSerialAndValidity() throws Exception {
        // when
        X509Certificate certificate = SharedKeyAuthority.derive(KEY).certificate();

        // then
        certificate.verify(certificate.getPublicKey());
        assertEquals(BigInteger.ONE, certificate.getSerialNumber());
        assertEquals(Instant.parse("2000-01-01T00:00:00Z"), certificate.getNotBefore().toInstant());
        assertEquals(Instant.parse("9999-12-31T23:59:59Z"), certificate.getNotAfter().toInstant());
        assertEquals(0, certificate.getBasicConstraints());
        assertTrue(certificate.getKeyUsage()[5], "keyCertSign");
        assertEquals(certificate.getSubjectX500Principal(), certificate.getIssuerX500Principal());
        assertTrue(certificate.getSubjectX500Principal().getName().contains(KEY_AUTHORITY));
    }

    @Test
    void issuedPeerCertificateChainsToTheAuthorityAndNamesThePeer() throws Exception {
        // given
        SharedKeyAuthority authority = SharedKeyAuthority.derive(KEY);
        PeerIdentity peer = PeerIdentity.ephemeral();

        // when
        X509Certificate certificate = Certificates.issued(peer, authority, Instant.now(),
                Instant.now().plusSeconds(60));

        // then
        certificate.verify(authority.publicKey());
        assertEquals(peer.peerKeyString(), Certificates.claimedPeerKey(certificate).orElseThrow());
        assertEquals(-1, certificate.getBasicConstraints());
        assertFalse(certificate.getSubjectX500Principal().equals(certificate.getIssuerX500Principal()));
    }

    @Test
    void emptySharedKeyIsAConfigurationError() {
        DittoException error = assertThrows(DittoException.class, () -> SharedKeyAuthority.derive(new byte[0]));
        assertEquals(ErrorCode.INVALID_CONFIG, error.code());
    }
}
