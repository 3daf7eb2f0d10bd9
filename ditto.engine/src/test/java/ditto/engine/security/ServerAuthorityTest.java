package ditto.engine.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.Permissions;

/** The server authority, the grants in client certificates, and links between holders of them. */
class ServerAuthorityTest {

    private static final Permissions CARS_OF_ALICE = new Permissions(
            Map.of("cars", Permissions.Rule.matching(List.of("_id.owner = 'alice'")), "*", Permissions.Rule.everything()),
            Map.of("cars", Permissions.Rule.matching(List.of("_id.owner = 'alice'"))));

    private final List<LinkSecurity> securities = new ArrayList<>();
    private final List<MemoryLink> links = new ArrayList<>();

    @AfterEach
    void closeEverything() throws InterruptedException {
        securities.forEach(LinkSecurity::close);
        links.forEach(MemoryLink::close);
        for (MemoryLink link : links) {
            link.shutdown();
        }
    }

    @Test
    void issuedCertificateCarriesTheGrantAndChainsToTheAuthority() throws Exception {
        // given
        ServerAuthority authority = ServerAuthority.ephemeral();
        PeerIdentity client = PeerIdentity.ephemeral();
        Instant now = Instant.now();

        // when
        X509Certificate certificate = authority.issue(client.publicKey(), now.minusSeconds(60), now.plusSeconds(3600),
                new PeerGrant("alice", CARS_OF_ALICE));
        IssuedCredentials credentials = new IssuedCredentials(certificate, authority.certificate());

        // then
        credentials.checkFor(client);
        PeerGrant grant = credentials.grant();
        assertEquals("alice", grant.userId());
        assertEquals(CARS_OF_ALICE, grant.permissions());
        assertEquals(client.peerKeyString(), new PeerTrustManager(authority::certificate, Clock.systemUTC())
                .verify(new X509Certificate[] {certificate}));
        assertEquals(now.plusSeconds(3600).getEpochSecond(), credentials.expiresAt().getEpochSecond());
    }

    @Test
    void certificateForAnotherKeyIsRefusedByCheckFor() {
        // given
        ServerAuthority authority = ServerAuthority.ephemeral();
        Instant now = Instant.now();
        X509Certificate other = authority.issue(PeerIdentity.ephemeral().publicKey(), now, now.plusSeconds(60),
                new PeerGrant("bob", Permissions.everything()));

        // when
        DittoException e = assertThrows(DittoException.class,
                () -> new IssuedCredentials(other, authority.certificate()).checkFor(PeerIdentity.ephemeral()));

        // then
        assertEquals(ErrorCode.AUTHENTICATION, e.code());
        assertTrue(e.getMessage().contains("not this peer's key"), e.getMessage());
    }

    @Test
    void trustManagerRefusesSelfSignedOtherAuthorityNoGrantExpiredAndNotLoggedIn() {
        // given
        ServerAuthority authority = ServerAuthority.ephemeral();
        ServerAuthority another = ServerAuthority.ephemeral();
        PeerIdentity peer = PeerIdentity.ephemeral();
        Instant now = Instant.now();
        PeerTrustManager trust = new PeerTrustManager(authority::certificate, Clock.systemUTC());
        X509Certificate selfSigned = Certificates.selfSigned(peer, now.minusSeconds(60), now.plusSeconds(60));
        X509Certificate foreign = another.issue(peer.publicKey(), now.minusSeconds(60), now.plusSeconds(60),
                PeerGrant.SERVER);
        X509Certificate expired = authority.issue(peer.publicKey(), now.minusSeconds(120), now.minusSeconds(60),
                PeerGrant.SERVER);

        // then
        assertRefused(trust, selfSigned, "does not chain to the server authority");
        assertRefused(trust, foreign, "does not chain to the server authority");
        assertRefused(trust, expired, "expired");
        assertRefused(new PeerTrustManager(() -> null, Clock.systemUTC()), foreign, "not logged in");
    }

    @Test
    void authorityKeyAndCertificateSurviveAReopen(@TempDir Path dir) throws Exception {
        // when
        ServerAuthority first = ServerAuthority.open(dir);
        ServerAuthority second = ServerAuthority.open(dir);

        // then
        assertArrayEquals(first.certificate().getEncoded(), second.certificate().getEncoded());
        assertTrue(dir.resolve("auth").resolve(ServerAuthority.KEY_FILE).toFile().isFile());
        assertTrue(first.certificate().getBasicConstraints() >= 0, "a CA certificate");
    }

    @Test
    void malformedGrantIsAnAuthenticationError() {
        // when
        DittoException notJson = assertThrows(DittoException.class, () -> PeerGrant.decode("{".getBytes()));
        DittoException badRule = assertThrows(DittoException.class, () -> PeerGrant.decode(
                "{\"v\":1,\"user_id\":\"a\",\"permissions\":{\"read\":{\"cars\":7}}}".getBytes()));

        // then
        assertEquals(ErrorCode.AUTHENTICATION, notJson.code());
        assertTrue(badRule.getMessage().contains("'cars'"), badRule.getMessage());
    }

    @Test
    void holdersOfTheSameAuthorityLinkAndLearnEachOthersGrant() throws Exception {
        // given: a server peer and a client whose certificate it issued
        ServerAuthority authority = ServerAuthority.ephemeral();
        PeerIdentity server = PeerIdentity.ephemeral();
        PeerIdentity client = PeerIdentity.ephemeral();
        Instant now = Instant.now();
        IssuedCredentials serverCredentials = authority.ownCredentials(server, now);
        IssuedCredentials clientCredentials = new IssuedCredentials(authority.issue(client.publicKey(),
                now.minusSeconds(60), now.plusSeconds(600), new PeerGrant("alice", CARS_OF_ALICE)),
                authority.certificate());

        // when
        Connected c = connect(issued(client, () -> clientCredentials), issued(server, () -> serverCredentials));

        // then
        SecureChannel atServer = c.server().channel();
        SecureChannel atClient = c.client().channel();
        assertEquals("alice", PeerGrant.of(atServer.remoteCertificate()).orElseThrow().userId());
        assertEquals(CARS_OF_ALICE, PeerGrant.of(atServer.remoteCertificate()).orElseThrow().permissions());
        assertEquals(Permissions.everything(), PeerGrant.of(atClient.remoteCertificate()).orElseThrow().permissions());
    }

    @Test
    void clientWithoutCredentialsHasNoneAndAPeerOfAnotherAuthorityIsRefused() throws Exception {
        // given
        ServerAuthority authority = ServerAuthority.ephemeral();
        ServerAuthority another = ServerAuthority.ephemeral();
        PeerIdentity server = PeerIdentity.ephemeral();
        PeerIdentity stranger = PeerIdentity.ephemeral();
        Instant now = Instant.now();
        AtomicReference<IssuedCredentials> none = new AtomicReference<>();
        IssuedCredentials serverCredentials = authority.ownCredentials(server, now);
        IssuedCredentials strangerCredentials = another.ownCredentials(stranger, now);

        // when
        LinkSecurity loggedOut = issued(PeerIdentity.ephemeral(), none::get);
        Connected c = connect(issued(stranger, () -> strangerCredentials), issued(server, () -> serverCredentials));

        // then
        assertTrue(!loggedOut.hasCredentials());
        assertEquals(ErrorCode.AUTHENTICATION, c.server().failure().code());
        assertEquals(ErrorCode.AUTHENTICATION, c.client().failure().code());
    }

    private record Connected(ChannelProbe client, ChannelProbe server) {
    }

    private Connected connect(LinkSecurity clientSecurity, LinkSecurity serverSecurity) {
        MemoryLink[] pair = MemoryLink.pair(1 << 20);
        links.add(pair[0]);
        links.add(pair[1]);
        ChannelProbe serverProbe = new ChannelProbe();
        pair[1].attach(serverSecurity.secure(pair[1], serverProbe));
        ChannelProbe clientProbe = new ChannelProbe();
        pair[0].attach(clientSecurity.secure(pair[0], clientProbe));
        return new Connected(clientProbe, serverProbe);
    }

    private LinkSecurity issued(PeerIdentity identity, java.util.function.Supplier<IssuedCredentials> credentials) {
        LinkSecurity security = LinkSecurity.createIssued(identity, credentials, Duration.ofSeconds(10));
        securities.add(security);
        return security;
    }

    private static void assertRefused(PeerTrustManager trust, X509Certificate certificate, String why) {
        CertificateException e = assertThrows(CertificateException.class,
                () -> trust.verify(new X509Certificate[] {certificate}));
        assertTrue(e.getMessage().contains(why), e.getMessage());
    }
}
