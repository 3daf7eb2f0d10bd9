package ditto.engine.security;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.AclEntry;
import java.nio.file.attribute.AclEntryPermission;
import java.nio.file.attribute.AclEntryType;
import java.nio.file.attribute.AclFileAttributeView;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1BitString;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The key pair that identifies one Ditto instance to other peers, and the peer key string
 * derived from it.
 *
 * <p><b>Storage.</b> {@link #open(Path)} keeps the key in {@code <persistence>/auth/peer-key.pem}:
 * a PEM {@code PRIVATE KEY} (PKCS#8) holding an EC P-256 private key together with its public
 * point, readable by OpenSSL ({@code openssl pkey -in peer-key.pem -text}). The first open
 * generates the key and writes it atomically (temporary file, fsync, rename) with owner-only
 * permissions where the file system supports POSIX permissions or ACLs; later opens load it. A
 * file that exists but cannot be decoded, or whose public point does not match its private
 * scalar, is reported as damaged and never replaced: replacing it would silently give the
 * instance a new peer key. To start over with a new identity on purpose, delete the file.
 *
 * <p><b>Peer key string.</b> {@code "pk"} followed by the unpadded base64url encoding (RFC 4648
 * §5) of the SHA-256 digest of the public key's canonical SubjectPublicKeyInfo DER (named curve
 * {@code prime256v1}, uncompressed point): 45 characters from {@code [A-Za-z0-9_-]}, stable for
 * the life of the key, safe in URLs, file names and certificate names.
 *
 * <p>Instances are immutable and thread-safe. The engine's persistence-directory lock is what
 * keeps two instances from creating the key file at the same moment.
 */
public final class PeerIdentity {

    /** The folder, under the persistence directory, that holds the key file. */
    public static final String AUTH_FOLDER = "auth";

    /** The key file's name inside {@link #AUTH_FOLDER}. */
    public static final String KEY_FILE = "peer-key.pem";

    /** The prefix of every peer key string. */
    public static final String PEER_KEY_PREFIX = "pk";

    private static final String PEM_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String PEM_END = "-----END PRIVATE KEY-----";
    /** A generous bound on the key file; a P-256 PEM is about 240 bytes. */
    private static final long MAX_KEY_FILE_BYTES = 16 * 1024;

    private final ECPrivateKey privateKey;
    private final ECPublicKey publicKey;
    private final String peerKey;
    private final Path keyFile;

    private PeerIdentity(ECPrivateKey privateKey, ECPublicKey publicKey, Path keyFile) {
        this.privateKey = privateKey;
        this.publicKey = publicKey;
        this.peerKey = peerKeyOf(publicKey);
        this.keyFile = keyFile;
    }

    /**
     * Loads the identity kept in a persistence directory, creating it on first use.
     *
     * <p>Creates {@code auth/} (owner-only where supported) if needed. Blocks on file I/O and, on
     * first use, on key generation (a few milliseconds).
     *
     * @param persistenceDirectory the instance's persistence directory, never null; created if
     *        missing
     * @return the identity, never null
     * @throws DittoException {@code PERSISTENCE_DIRECTORY} if the folder or file cannot be
     *         created, read or written; {@code ENCRYPTION} if the key file exists but is damaged
     *         (it is left untouched)
     * @throws NullPointerException if {@code persistenceDirectory} is null
     */
    public static PeerIdentity open(Path persistenceDirectory) {
        return open(persistenceDirectory, KEY_FILE);
    }

    /**
     * Loads (or creates on first use) a key kept in the {@code auth/} folder of a persistence
     * directory under another file name: the server peer's authority key. Same rules as
     * {@link #open(Path)}.
     *
     * @param persistenceDirectory the instance's persistence directory
     * @param fileName the key file's name inside {@code auth/}
     * @return the key, never null
     */
    static PeerIdentity open(Path persistenceDirectory, String fileName) {
        Objects.requireNonNull(persistenceDirectory, "persistenceDirectory");
        Path auth = persistenceDirectory.resolve(AUTH_FOLDER);
        Path file = auth.resolve(fileName);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return load(file);
        }
        createFolder(auth);
        ECPrivateKey generated = generate();
        try {
            write(file, encodePem(generated.getS(), P256.publicKey(generated.getS())));
        } catch (FileAlreadyExistsException e) {
            return load(file);
        }
        return load(file);
    }

    /**
     * Creates a new identity that is kept in memory only, for instances without a persistence
     * directory and for tests. Each call gives a different peer key.
     *
     * @return the identity, never null
     */
    public static PeerIdentity ephemeral() {
        ECPrivateKey key = generate();
        return new PeerIdentity(key, P256.publicKey(key.getS()), null);
    }

    /**
     * Returns the peer key string of any EC P-256 public key, as defined in the class comment.
     *
     * @param key the public key, never null
     * @return the 45-character peer key string
     * @throws DittoException {@code AUTHENTICATION} if the key is not an EC P-256 key
     * @throws NullPointerException if {@code key} is null
     */
    public static String peerKeyOf(PublicKey key) {
        Objects.requireNonNull(key, "key");
        if (!P256.isP256(key)) {
            throw new DittoException(ErrorCode.AUTHENTICATION,
                    "peer key: a " + key.getAlgorithm() + " key is not an EC P-256 key");
        }
        byte[] digest = sha256(P256.spki(((ECPublicKey) key).getW()));
        return PEER_KEY_PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    }

    /**
     * Returns this instance's peer key string.
     *
     * @return the 45-character peer key string, never null
     */
    public String peerKeyString() {
        return peerKey;
    }

    /**
     * Returns the public half of the key pair.
     *
     * @return the EC P-256 public key, never null
     */
    public PublicKey publicKey() {
        return publicKey;
    }

    /**
     * Returns the file this identity is kept in.
     *
     * @return the key file, or empty for an {@linkplain #ephemeral() ephemeral} identity
     */
    public Optional<Path> keyFile() {
        return Optional.ofNullable(keyFile);
    }

    /** Returns the private half; package-private so the key never leaves this package. */
    PrivateKey privateKey() {
        return privateKey;
    }

    /** Returns {@code "PeerIdentity(<peer key>)"}; never prints key material. */
    @Override
    public String toString() {
        return "PeerIdentity(" + peerKey + ")";
    }

    // ---- key generation and encoding ---------------------------------------------------

    private static ECPrivateKey generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            return (ECPrivateKey) generator.generateKeyPair().getPrivate();
        } catch (GeneralSecurityException e) {
            throw new DittoException(ErrorCode.INTERNAL,
                    "peer identity: this JDK cannot generate EC P-256 keys: " + e.getMessage(), e);
        }
    }

    /** PKCS#8 PrivateKeyInfo with the RFC 5915 ECPrivateKey, public point included, as PEM. */
    static String encodePem(BigInteger d, ECPublicKey publicKey) {
        AlgorithmIdentifier algorithm =
                new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp256r1);
        org.bouncycastle.asn1.sec.ECPrivateKey ecKey = new org.bouncycastle.asn1.sec.ECPrivateKey(
                256, d, new DERBitString(P256.uncompressedPoint(publicKey.getW())), null);
        byte[] der;
        try {
            der = new PrivateKeyInfo(algorithm, ecKey).getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INTERNAL, "peer identity: cannot encode the key: " + e.getMessage(), e);
        }
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return PEM_BEGIN + "\n" + body + "\n" + PEM_END + "\n";
    }

    private static PeerIdentity load(Path file) {
        byte[] bytes;
        try {
            long size = Files.size(file);
            if (size > MAX_KEY_FILE_BYTES) {
                throw damaged(file, "it is " + size + " bytes long, far more than a key", null);
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "peer identity: cannot read key file " + file + ": " + e, e);
        }
        BigInteger d = decode(file, new String(bytes, StandardCharsets.US_ASCII));
        return new PeerIdentity(P256.privateKey(d), P256.publicKey(d), file);
    }

    /** Decodes and checks the PEM; returns the private scalar. */
    private static BigInteger decode(Path file, String text) {
        String trimmed = text.strip();
        if (!trimmed.startsWith(PEM_BEGIN) || !trimmed.endsWith(PEM_END)) {
            throw damaged(file, "it is not a PEM '" + PEM_BEGIN + "' block", null);
        }
        String base64 = trimmed.substring(PEM_BEGIN.length(), trimmed.length() - PEM_END.length())
                .replaceAll("\\s", "");
        byte[] der;
        PrivateKeyInfo info;
        try {
            der = Base64.getDecoder().decode(base64);
            info = PrivateKeyInfo.getInstance(ASN1Primitive.fromByteArray(der));
        } catch (IOException | RuntimeException e) {
            throw damaged(file, "its content does not decode: " + e.getMessage(), e);
        }
        try {
            if (!Arrays.equals(der, info.getEncoded(ASN1Encoding.DER))) {
                throw damaged(file, "its encoding is not canonical DER", null);
            }
            AlgorithmIdentifier algorithm = info.getPrivateKeyAlgorithm();
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(algorithm.getAlgorithm())
                    || !SECObjectIdentifiers.secp256r1.equals(algorithm.getParameters())) {
                throw damaged(file, "it does not hold an EC P-256 key", null);
            }
            org.bouncycastle.asn1.sec.ECPrivateKey ecKey =
                    org.bouncycastle.asn1.sec.ECPrivateKey.getInstance(info.parsePrivateKey());
            BigInteger d = ecKey.getKey();
            if (d.signum() <= 0 || d.compareTo(P256.order()) >= 0) {
                throw damaged(file, "its private scalar is out of range", null);
            }
            ASN1BitString stored = ecKey.getPublicKey();
            if (stored == null) {
                throw damaged(file, "it lacks the public point this format always stores", null);
            }
            byte[] expected = P256.uncompressedPoint(P256.publicKey(d).getW());
            if (!Arrays.equals(expected, stored.getOctets())) {
                throw damaged(file, "its public point does not match its private scalar", null);
            }
            return d;
        } catch (IOException | RuntimeException e) {
            if (e instanceof DittoException de) {
                throw de;
            }
            throw damaged(file, "its content does not decode: " + e.getMessage(), e);
        }
    }

    private static DittoException damaged(Path file, String why, Throwable cause) {
        return new DittoException(ErrorCode.ENCRYPTION, "peer identity: key file " + file + " is damaged: " + why
                + "; it was left untouched (delete it to start over with a new peer key)", cause);
    }

    // ---- files -----------------------------------------------------------------------------

    private static void createFolder(Path auth) {
        try {
            if (!Files.isDirectory(auth)) {
                Files.createDirectories(auth);
                restrictToOwner(auth, true);
            }
        } catch (IOException e) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "peer identity: cannot create folder " + auth + ": " + e, e);
        }
    }

    /** Writes through a temporary file and an atomic rename, so the key file is whole or absent. */
    private static void write(Path file, String pem) throws FileAlreadyExistsException {
        Path folder = file.getParent();
        Path temporary = null;
        try {
            temporary = Files.createTempFile(folder, KEY_FILE + ".", ".tmp");
            restrictToOwner(temporary, false);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap(pem.getBytes(StandardCharsets.US_ASCII));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                throw new FileAlreadyExistsException(file.toString());
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file);
            }
            temporary = null;
            syncFolder(folder);
        } catch (FileAlreadyExistsException e) {
            throw e;
        } catch (IOException e) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "peer identity: cannot write key file " + file + ": " + e, e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the rename failed already and is what gets reported
                }
            }
        }
    }

    /** Makes the rename durable where the platform lets a directory be synced (not on Windows). */
    private static void syncFolder(Path folder) {
        try (FileChannel channel = FileChannel.open(folder, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // directories cannot be opened for sync on this platform; the file itself was forced
        }
    }

    /** Owner-only access: rw------- (rwx------ for folders) on POSIX, a single owner ACL entry elsewhere. */
    private static void restrictToOwner(Path path, boolean folder) throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        if (posix != null) {
            posix.setPermissions(PosixFilePermissions.fromString(folder ? "rwx------" : "rw-------"));
            return;
        }
        AclFileAttributeView acl = Files.getFileAttributeView(path, AclFileAttributeView.class);
        if (acl != null) {
            UserPrincipal owner = acl.getOwner();
            AclEntry entry = AclEntry.newBuilder().setType(AclEntryType.ALLOW).setPrincipal(owner)
                    .setPermissions(EnumSet.allOf(AclEntryPermission.class)).build();
            acl.setAcl(List.of(entry));
        }
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
