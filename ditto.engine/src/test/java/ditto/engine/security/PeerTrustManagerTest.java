package ditto.engine.security;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.junit.jupiter.api.Test;

class PeerTrustManagerTest {

    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private final Instant now = Instant.now();
    private final SharedKeyAuthority authority = SharedKeyAuthority.derive(KEY);
    private final PeerTrustManager withKey = new PeerTrustManager(authority, Clock.systemUTC());
    private final PeerTrustManager withoutKey = new PeerTrustManager((SharedKeyAuthority) null, Clock.systemUTC());

    @Test
    void acceptsAPeerOfTheAuthorityAndReturnsItsKey() throws Exception {
        // given
        PeerIdentity peer = PeerIdentity.ephemeral();

        // when
        String peerKey = withKey.verify(new X509Certificate[] {issued(peer)});

        // then
        assertEquals(peer.peerKeyString(), peerKey);
    }

    @Test
    void acceptsASelfSignedPeerWithoutSharedKey() throws Exception {
        PeerIdentity peer = PeerIdentity.ephemeral();
        assertEquals(peer.peerKeyString(), withoutKey.verify(new X509Certificate[] {selfSigned(peer)}));
    }

    @Test
    void refusesTheAuthorityCertificateAsAPeerCertificate() {
        CertificateException refused = assertThrows(CertificateException.class,
                () -> withKey.verify(new X509Certificate[] {authority.certificate()}));
        assertTrue(refused.getMessage().contains("no 'ditto:peer:'") || refused.getMessage().contains("CA"),
                refused.getMessage());
    }

    @Test
    void refusesASelfSignedPeerWhenASharedKeyIsRequired() throws Exception {
        X509Certificate certificate = selfSigned(PeerIdentity.ephemeral());
        assertThrows(CertificateException.class, () -> withKey.verify(new X509Certificate[] {certificate}));
    }

    @Test
    void refusesAnIssuedPeerWhenNoSharedKeyIsHeld() throws Exception {
        X509Certificate certificate = issued(PeerIdentity.ephemeral());
        CertificateException refused = assertThrows(CertificateException.class,
                () -> withoutKey.verify(new X509Certificate[] {certificate}));
        assertTrue(refused.getMessage().contains("not self-signed"), refused.getMessage());
    }

    @Test
    void refusesACertificateClaimingAnotherPeerKey() throws Exception {
        // given a self-signed certificate whose name claims someone else's peer key
        PeerIdentity peer = PeerIdentity.ephemeral();
        String otherKey = PeerIdentity.ephemeral().peerKeyString();
        X500Name name = new X500Name("CN=" + otherKey);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, BigInteger.TEN,
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(60)), name, peer.publicKey());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
                new GeneralName(GeneralName.uniformResourceIdentifier, Certificates.PEER_URI_PREFIX + otherKey)));
        X509Certificate forged = Certificates.toJdk(builder, Certificates.signer(peer.privateKey()));

        // when
        CertificateException refused = assertThrows(CertificateException.class,
                () -> withoutKey.verify(new X509Certificate[] {forged}));

        // then
        assertTrue(refused.getMessage().contains("claims peer key " + otherKey), refused.getMessage());
    }

    @Test
    void refusesACertificateThatIsNotYetValid() throws Exception {
        X509Certificate future = Certificates.selfSigned(PeerIdentity.ephemeral(), now.plus(Duration.ofDays(1)),
                now.plus(Duration.ofDays(2)));
        CertificateException refused = assertThrows(CertificateException.class,
                () -> withoutKey.verify(new X509Certificate[] {future}));
        assertTrue(refused.getMessage().contains("not valid before"), refused.getMessage());
    }

    @Test
    void refusesAnEmptyChain() {
        assertThrows(CertificateException.class, () -> withKey.verify(new X509Certificate[0]));
    }

    private X509Certificate issued(PeerIdentity peer) {
        return Certificates.issued(peer, authority, now.minusSeconds(60), now.plusSeconds(60));
    }

    private X509Certificate selfSigned(PeerIdentity peer) {
        return Certificates.selfSigned(peer, now.minusSeconds(60), now.plusSeconds(60));
    }
}
