package ditto.api;

import java.util.Objects;

/**
 * The kind of transport that carries a {@link Connection} between two peers.
 *
 * <p>Each constant has a stable wire name ({@link #wireName()}), the string the reference SDK
 * uses in presence JSON and diagnostics: {@code "Bluetooth"}, {@code "AccessPoint"},
 * {@code "P2PWiFi"} and {@code "WebSocket"}.
 */
public enum ConnectionType {
    /** Bluetooth Low Energy. */
    BLUETOOTH("Bluetooth"),
    /** The local network over Wi-Fi or Ethernet (LAN, TCP). */
    ACCESS_POINT("AccessPoint"),
    /** Direct Wi-Fi without an access point (AWDL, Wi-Fi Aware). */
    P2P_WIFI("P2PWiFi"),
    /** A WebSocket to a server or another peer listening for HTTP. */
    WEB_SOCKET("WebSocket");

    private final String wireName;

    ConnectionType(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the reference SDK's name of this type, for example {@code "AccessPoint"}; never null. */
    public String wireName() {
        return wireName;
    }

    /**
     * Returns the constant with the given wire name.
     *
     * @param wireName a name as returned by {@link #wireName()}, compared exactly
     * @return the matching constant, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if no constant has that name
     * @throws NullPointerException if {@code wireName} is null
     */
    public static ConnectionType fromWire(String wireName) {
        Objects.requireNonNull(wireName, "wireName");
        for (ConnectionType type : values()) {
            if (type.wireName.equals(wireName)) {
                return type;
            }
        }
        throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "unknown connection type \"" + wireName
                + "\": expected Bluetooth, AccessPoint, P2PWiFi or WebSocket");
    }
}
