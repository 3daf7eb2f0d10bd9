package ditto.engine.security;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class PeerIdentityTest {

    @TempDir
    Path directory;

    @Test
    void createsTheKeyOnFirstOpenAndReloadsTheSameIdentity() throws Exception {
        // when
        PeerIdentity first = PeerIdentity.open(directory);
        PeerIdentity second = PeerIdentity.open(directory);

        // then
        Path file = directory.resolve("auth").resolve("peer-key.pem");
        assertEquals(file, first.keyFile().orElseThrow());
        assertTrue(Files.readString(file).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertEquals(first.peerKeyString(), second.peerKeyString());
        assertEquals(first.publicKey(), second.publicKey());
        Signature signer = Signature.getInstance("SHA256withECDSA");
        signer.initSign(second.privateKey());
        signer.update(new byte[] {1, 2, 3});
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(first.publicKey());
        verifier.update(new byte[] {1, 2, 3});
        assertTrue(verifier.verify(signer.sign()), "the reloaded private key matches the public key");
    }

    @Test
    void keyFileAndFolderAreOwnerOnly() throws Exception {
        assumeTrue(Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null, "POSIX file system");

        // when
        PeerIdentity identity = PeerIdentity.open(directory);

        // then
        assertEquals("rw-------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(identity.keyFile().orElseThrow())));
        assertEquals("rwx------", PosixFilePermissions.toString(
                Files.getPosixFilePermissions(directory.resolve("auth"))));
        try (var files = Files.list(directory.resolve("auth"))) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void peerKeyStringIsPkAndBase64UrlOfTheSha256OfTheSubjectPublicKeyInfo() throws Exception {
        // given
        PeerIdentity identity = PeerIdentity.ephemeral();

        // when
        String peerKey = identity.peerKeyString();

        // then
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.publicKey().getEncoded());
        assertEquals("pk" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest), peerKey);
        assertEquals(45, peerKey.length());
        assertTrue(peerKey.matches("pk[A-Za-z0-9_-]{43}"), peerKey);
        assertEquals(peerKey, PeerIdentity.peerKeyOf(identity.publicKey()));
        assertNotEquals(peerKey, PeerIdentity.ephemeral().peerKeyString());
    }

    @Test
    void refusesKeysThatAreNotP256() throws Exception {
        // given
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp384r1"));

        // when
        DittoException error = assertThrows(DittoException.class,
                () -> PeerIdentity.peerKeyOf(generator.generateKeyPair().getPublic()));

        // then
        assertEquals(ErrorCode.AUTHENTICATION, error.code());
    }

    @Test
    void damagedKeyFileIsReportedAndLeftUntouched() throws Exception {
        // given
        Path file = PeerIdentity.open(directory).keyFile().orElseThrow();
        String pem = Files.readString(file, StandardCharsets.US_ASCII);
        String[] lines = pem.split("\n");

        // then
        for (String damaged : new String[] {
                "",
                "not a key",
                lines[0] + "\n" + lines[1] + "\n" + lines[lines.length - 1] + "\n",
                withCharacterChanged(pem, lines[0].length() + 1 + 30), // in the algorithm identifier
                withCharacterChanged(pem, lines[0].length() + 1 + lines[1].length() + 1 + 10), // in the scalar
                withCharacterChanged(pem, pem.length() - lines[lines.length - 1].length() - 5), // in the point
                pem.replace("PRIVATE KEY", "PUBLIC KEY")}) {
            Files.writeString(file, damaged, StandardCharsets.US_ASCII);

            DittoException error = assertThrows(DittoException.class, () -> PeerIdentity.open(directory),
                    () -> "accepted: " + damaged);

            assertEquals(ErrorCode.ENCRYPTION, error.code(), error.toString());
            assertTrue(error.getMessage().contains("damaged") && error.getMessage().contains(file.toString()),
                    error.getMessage());
            assertEquals(damaged, Files.readString(file, StandardCharsets.US_ASCII), "the file was left untouched");
        }
    }

    @Test
    void keyFileWhosePublicPointDoesNotMatchItsScalarIsDamaged() throws Exception {
        // given a well-formed key file whose public point belongs to another key
        Path file = PeerIdentity.open(directory).keyFile().orElseThrow();
        ECPrivateKey mine = (ECPrivateKey) PeerIdentity.open(directory).privateKey();
        PeerIdentity other = PeerIdentity.ephemeral();
        Files.writeString(file, PeerIdentity.encodePem(mine.getS(),
                (java.security.interfaces.ECPublicKey) other.publicKey()));

        // when
        DittoException error = assertThrows(DittoException.class, () -> PeerIdentity.open(directory));

        // then
        assertEquals(ErrorCode.ENCRYPTION, error.code());
        assertTrue(error.getMessage().contains("does not match"), error.getMessage());
    }

    @Test
    void persistenceDirectoryThatIsAFileIsRefused() throws Exception {
        // given
        Path notADirectory = Files.writeString(directory.resolve("file"), "x");

        // when
        DittoException error = assertThrows(DittoException.class, () -> PeerIdentity.open(notADirectory));

        // then
        assertEquals(ErrorCode.PERSISTENCE_DIRECTORY, error.code(), error.toString());
    }

    @Test
    void writtenKeyFileDecodesToTheSameKeyOnEveryLoad() throws Exception {
        // given
        PeerIdentity identity = PeerIdentity.open(directory);
        byte[] before = Files.readAllBytes(identity.keyFile().orElseThrow());

        // when
        PeerIdentity.open(directory);

        // then
        assertArrayEquals(before, Files.readAllBytes(identity.keyFile().orElseThrow()), "loading never rewrites");
    }

    private static String withCharacterChanged(String text, int index) {
        char replacement = text.charAt(index) == 'A' ? 'B' : 'A';
        return text.substring(0, index) + replacement + text.substring(index + 1);
    }
}
