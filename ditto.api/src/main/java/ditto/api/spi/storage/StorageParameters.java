package ditto.api.spi.storage;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how to open a storage.
 *
 * <p>The engine has already created the directory and holds the instance's exclusive lock on the
 * persistence directory, so a backend need not lock again.
 *
 * @param directory the folder the backend owns (it may create files in it); a non-persistent
 *        backend ignores it; never null
 * @param encryptionKey the key for encryption at rest, or empty for plain storage; a backend that
 *        cannot encrypt refuses a key with {@code UNSUPPORTED}
 * @param options backend-specific settings (from the configuration's experimental map, keys
 *        without the {@code storage.} prefix); unknown keys are refused with
 *        {@code INVALID_CONFIG}; never null
 */
public record StorageParameters(Path directory, Optional<byte[]> encryptionKey, Map<String, Object> options) {

    /**
     * Copies the key and options and validates that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public StorageParameters {
        Objects.requireNonNull(directory, "directory");
        encryptionKey = Objects.requireNonNull(encryptionKey, "encryptionKey").map(byte[]::clone);
        options = Map.copyOf(options);
    }

    /**
     * Creates parameters for plain storage without options.
     *
     * @param directory the folder the backend owns, never null
     * @return the parameters
     */
    public static StorageParameters of(Path directory) {
        return new StorageParameters(directory, Optional.empty(), Map.of());
    }

    /** Returns a copy of the key, if any. */
    @Override
    public Optional<byte[]> encryptionKey() {
        return encryptionKey.map(byte[]::clone);
    }

    /** Hides the key. */
    @Override
    public String toString() {
        return "StorageParameters[directory=" + directory + ", encrypted=" + encryptionKey.isPresent()
                + ", options=" + options.keySet() + "]";
    }

    /** Compares directory, key bytes and options. */
    @Override
    public boolean equals(Object o) {
        return o instanceof StorageParameters p && p.directory.equals(directory) && p.options.equals(options)
                && p.encryptionKey.isPresent() == encryptionKey.isPresent()
                && (encryptionKey.isEmpty() || Arrays.equals(p.encryptionKey.get(), encryptionKey.get()));
    }

    /** Hashes directory and options. */
    @Override
    public int hashCode() {
        return Objects.hash(directory, options);
    }
}
