package ditto.transport.lan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Maps an {@link Announcement} to the TXT properties of the mDNS service and back (keys in the
 * package documentation); the TCP port travels in the SRV record.
 *
 * <p>Role and invariants: stateless. TXT records come from anyone on the link: the reader checks
 * each property's presence and syntax and fails with a {@code PROTOCOL} {@link DittoException}
 * naming the first bad property; nothing else is thrown.
 */
final class TxtRecord {
    /** TXT key of the format version. */
    static final String VERSION_KEY = "v";
    /** TXT key of the 16-hex-digit database hash. */
    static final String DATABASE_KEY = "db";
    /** TXT key of the decimal sync group. */
    static final String GROUP_KEY = "g";
    /** TXT key of the peer key. */
    static final String PEER_KEY = "pk";
    /** TXT key of the device name. */
    static final String DEVICE_KEY = "dn";
    /** The TXT format version this build writes and reads. */
    static final String VERSION = "1";

    private TxtRecord() {
    }

    /**
     * Returns the TXT properties announcing {@code announcement}, in a stable order.
     *
     * @param announcement what to announce
     * @return the properties
     */
    static Map<String, String> toProperties(Announcement announcement) {
        Map<String, String> txt = new LinkedHashMap<>();
        txt.put(VERSION_KEY, VERSION);
        txt.put(DATABASE_KEY, Announcement.hashHex(announcement.databaseHash()));
        txt.put(GROUP_KEY, Long.toString(announcement.syncGroup()));
        txt.put(PEER_KEY, announcement.peerKey());
        txt.put(DEVICE_KEY, announcement.deviceName());
        return txt;
    }

    /**
     * Reads an announcement from resolved TXT properties and the SRV port.
     *
     * @param property looks up a TXT property by key, returning null when it is absent
     * @param port the port of the service's SRV record
     * @return the announcement, never null
     * @throws DittoException {@code PROTOCOL} if a property is missing or malformed
     */
    static Announcement fromProperties(Function<String, String> property, int port) {
        String version = property.apply(VERSION_KEY);
        if (version == null) {
            throw malformed("no \"" + VERSION_KEY + "\" property");
        }
        if (!version.equals(VERSION)) {
            throw malformed("unsupported version \"" + version + "\", this peer reads " + VERSION);
        }
        String db = property.apply(DATABASE_KEY);
        if (db == null || !db.matches("[0-9a-f]{16}")) {
            throw malformed("\"" + DATABASE_KEY + "\" is not 16 lower-case hex digits");
        }
        String group = property.apply(GROUP_KEY);
        if (group == null || !group.matches("[0-9]{1,10}") || Long.parseLong(group) > 0xFFFF_FFFFL) {
            throw malformed("\"" + GROUP_KEY + "\" is not an unsigned 32-bit decimal number");
        }
        String key = property.apply(PEER_KEY);
        if (key == null || key.isEmpty() || Announcement.utf8Length(key) > Announcement.MAX_PEER_KEY_BYTES) {
            throw malformed("\"" + PEER_KEY + "\" is missing, empty or longer than " + Announcement.MAX_PEER_KEY_BYTES
                    + " bytes");
        }
        String name = property.apply(DEVICE_KEY);
        if (port < 1 || port > 65535) {
            throw malformed("SRV port " + port + " is not between 1 and 65535");
        }
        return new Announcement(Long.parseUnsignedLong(db, 16), Long.parseLong(group), key,
                name == null ? "" : Announcement.truncateDeviceName(name), port);
    }

    private static DittoException malformed(String why) {
        return new DittoException(ErrorCode.PROTOCOL, "lan mDNS TXT record: " + why);
    }
}
