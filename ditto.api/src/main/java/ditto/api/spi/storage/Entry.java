package ditto.api.spi.storage;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One key and its value.
 *
 * @param key the key bytes, never null
 * @param value the value bytes, never null
 */
public record Entry(byte[] key, byte[] value) {

    /**
     * Validates that no component is null. The arrays are not copied: an entry is a carrier.
     *
     * @throws NullPointerException if a component is null
     */
    public Entry {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(value, "value");
    }

    /** Compares key and value bytes. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Entry e && Arrays.equals(e.key, key) && Arrays.equals(e.value, value);
    }

    /** Hashes key and value bytes. */
    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(key) + Arrays.hashCode(value);
    }

    /** Shows the key in hex and the value's length. */
    @Override
    public String toString() {
        return "Entry[" + HexFormat.of().formatHex(key) + " -> " + value.length + " bytes]";
    }
}
