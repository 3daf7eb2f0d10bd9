package ditto.transport.lan;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * What a LAN peer announces about itself by mDNS and by UDP multicast: the scope it syncs in
 * (a hash of its database id and its sync group), who it is (peer key and device name) and the
 * TCP port it accepts links on.
 *
 * <p>Role and invariants: an immutable value shared by {@link MulticastCodec} and
 * {@link TxtRecord}. Fields are checked on construction: the peer key is 1 to
 * {@link #MAX_PEER_KEY_BYTES} UTF-8 bytes, the device name at most {@link #MAX_DEVICE_NAME_BYTES}
 * (longer names are cut by {@link #truncateDeviceName}), the sync group an unsigned 32-bit number
 * and the port 1 to 65535. The database id itself never appears: only {@link #databaseHash}, the
 * first 8 bytes of a SHA-256 of it, so that announcements cannot be read back into the id.
 *
 * @param databaseHash the {@link #databaseHash(String)} of the announcer's database id
 * @param syncGroup the announcer's sync group, 0 to 2<sup>32</sup> - 1
 * @param peerKey the announcer's peer key string
 * @param deviceName the announcer's device name, possibly empty
 * @param tcpPort the TCP port the announcer listens on
 */
record Announcement(long databaseHash, long syncGroup, String peerKey, String deviceName, int tcpPort) {
    /** The longest peer key, in UTF-8 bytes, an announcement carries (fits a TXT string with its key). */
    static final int MAX_PEER_KEY_BYTES = 250;
    /** The longest device name, in UTF-8 bytes, an announcement carries. */
    static final int MAX_DEVICE_NAME_BYTES = 250;

    private static final byte[] HASH_PREFIX = "ditto.lan.discovery/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] PEER_PREFIX = "ditto.lan.peer/".getBytes(StandardCharsets.US_ASCII);

    Announcement {
        Objects.requireNonNull(peerKey, "peerKey");
        Objects.requireNonNull(deviceName, "deviceName");
        int keyBytes = utf8Length(peerKey);
        if (keyBytes == 0 || keyBytes > MAX_PEER_KEY_BYTES) {
            throw new IllegalArgumentException("peer key must be 1 to " + MAX_PEER_KEY_BYTES + " UTF-8 bytes, got " + keyBytes);
        }
        if (utf8Length(deviceName) > MAX_DEVICE_NAME_BYTES) {
            throw new IllegalArgumentException("device name is longer than " + MAX_DEVICE_NAME_BYTES + " UTF-8 bytes");
        }
        if (syncGroup < 0 || syncGroup > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("sync group " + syncGroup + " is not an unsigned 32-bit number");
        }
        if (tcpPort < 1 || tcpPort > 65535) {
            throw new IllegalArgumentException("TCP port " + tcpPort + " is not between 1 and 65535");
        }
    }

    /**
     * Returns the 64-bit discovery hash of a database id: the first 8 bytes, big-endian, of
     * SHA-256 over {@code "ditto.lan.discovery/"} followed by the id's UTF-8 bytes.
     *
     * @param databaseId the database id
     * @return the hash
     */
    static long databaseHash(String databaseId) {
        return hash64(HASH_PREFIX, databaseId);
    }

    /**
     * Returns the 64-bit hash naming a peer in mDNS instance and host names: the first 8 bytes of
     * SHA-256 over {@code "ditto.lan.peer/"} followed by the peer key's UTF-8 bytes.
     *
     * @param peerKey the peer key
     * @return the hash
     */
    static long peerHash(String peerKey) {
        return hash64(PEER_PREFIX, peerKey);
    }

    private static long hash64(byte[] prefix, String text) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prefix);
            byte[] digest = sha.digest(text.getBytes(StandardCharsets.UTF_8));
            long hash = 0;
            for (int i = 0; i < 8; i++) {
                hash = (hash << 8) | (digest[i] & 0xFF);
            }
            return hash;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform provides SHA-256", e);
        }
    }

    /** Formats a database hash as the 16 lower-case hex digits used in TXT records. */
    static String hashHex(long hash) {
        return String.format("%016x", hash);
    }

    /**
     * Cuts a device name to at most {@link #MAX_DEVICE_NAME_BYTES} UTF-8 bytes, never inside a
     * character.
     */
    static String truncateDeviceName(String name) {
        if (utf8Length(name) <= MAX_DEVICE_NAME_BYTES) {
            return name;
        }
        StringBuilder out = new StringBuilder();
        int bytes = 0;
        for (int i = 0; i < name.length();) {
            int cp = name.codePointAt(i);
            int size = utf8Length(new String(Character.toChars(cp)));
            if (bytes + size > MAX_DEVICE_NAME_BYTES) {
                break;
            }
            out.appendCodePoint(cp);
            bytes += size;
            i += Character.charCount(cp);
        }
        return out.toString();
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }
}
