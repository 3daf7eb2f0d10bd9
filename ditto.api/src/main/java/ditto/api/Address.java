package ditto.api;

import java.util.Objects;

/**
 * A peer's network address, as the reference SDK's deprecated {@code Peer.Address} reports it.
 * Prefer {@link Peer#peerKeyString()} to identify peers. Immutable.
 *
 * @param addressType the kind of address, never null
 * @param ipAddress the IP or Bluetooth address in text form; empty when unknown, never null
 * @param port the port, 0 to 65535; 0 when unknown or not applicable
 */
public record Address(AddressType addressType, String ipAddress, int port) {

    /** The address of a peer whose address is not known: IPv4 type, empty address, port 0. */
    public static final Address UNKNOWN = new Address(AddressType.IPV4, "", 0);

    /**
     * Checks the arguments.
     *
     * @param addressType the kind of address
     * @param ipAddress the address text
     * @param port the port
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if {@code port} is outside 0 to 65535
     * @throws NullPointerException if {@code addressType} or {@code ipAddress} is null
     */
    public Address {
        Objects.requireNonNull(addressType, "addressType");
        Objects.requireNonNull(ipAddress, "ipAddress");
        if (port < 0 || port > 65535) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS, "invalid address: port " + port + " is not between 0 and 65535");
        }
    }
}
