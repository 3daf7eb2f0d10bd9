package ditto.store.mvstore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The key verifier kept next to an encrypted store, so that a wrong key is told apart from a
 * damaged file before MVStore reads anything.
 *
 * <p>File layout: the ASCII magic {@code "DITTO-MVSTORE-KEYCHECK-1\n"}, a 16-byte random salt,
 * then HMAC-SHA256(key, {@code "ditto.store.mvstore key check"} || salt). The file reveals
 * nothing about the data and, the key being the HMAC key, nothing usable about the key beyond
 * what an offline guess could test against the store itself. It is written to a temporary file,
 * forced to disk and moved into place, so it is either complete or absent.
 */
final class KeyCheck {

    /** How a key compares with the stored verifier. */
    enum Result {
        /** The verifier exists and the key matches it. */
        MATCH,
        /** The verifier exists and the key does not match it. */
        MISMATCH,
        /** There is no readable verifier: the key cannot be checked in advance. */
        ABSENT
    }

    private static final byte[] MAGIC = "DITTO-MVSTORE-KEYCHECK-1\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTEXT = "ditto.store.mvstore key check".getBytes(StandardCharsets.US_ASCII);
    private static final int SALT_LENGTH = 16;
    private static final int TAG_LENGTH = 32;

    private KeyCheck() {
    }

    static Result verify(Path file, byte[] key) {
        byte[] content;
        try {
            if (!Files.isRegularFile(file)) {
                return Result.ABSENT;
            }
            content = Files.readAllBytes(file);
        } catch (IOException e) {
            return Result.ABSENT;
        }
        if (content.length != MAGIC.length + SALT_LENGTH + TAG_LENGTH
                || !Arrays.equals(content, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            return Result.ABSENT;
        }
        byte[] salt = Arrays.copyOfRange(content, MAGIC.length, MAGIC.length + SALT_LENGTH);
        byte[] tag = Arrays.copyOfRange(content, MAGIC.length + SALT_LENGTH, content.length);
        return MessageDigest.isEqual(tag, tag(key, salt)) ? Result.MATCH : Result.MISMATCH;
    }

    static void write(Path file, byte[] key) {
        byte[] salt = new byte[SALT_LENGTH];
        new SecureRandom().nextBytes(salt);
        ByteBuffer content = ByteBuffer.allocate(MAGIC.length + SALT_LENGTH + TAG_LENGTH);
        content.put(MAGIC).put(salt).put(tag(key, salt)).flip();
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new DittoException(ErrorCode.PERSISTENCE_DIRECTORY,
                    "mvstore storage: cannot write the key check file " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] tag(byte[] key, byte[] salt) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(CONTEXT);
            return mac.doFinal(salt);
        } catch (GeneralSecurityException e) {
            throw new DittoException(ErrorCode.INTERNAL, "mvstore storage: HmacSHA256 is not available: " + e, e);
        }
    }
}
