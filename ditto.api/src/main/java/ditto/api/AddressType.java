package ditto.api;

/**
 * The kind of network address in an {@link Address}.
 *
 * <p>The reference SDK numbers these in declaration order; {@link #wireValue()} is that number
 * ({@code 0}, {@code 1}, {@code 2}) and is what presence JSON carries.
 */
public enum AddressType {
    /** An IPv4 address; wire value 0. */
    IPV4,
    /** An IPv6 address; wire value 1. */
    IPV6,
    /** A Bluetooth device address; wire value 2. */
    BLUETOOTH;

    /** Returns the reference SDK's number for this type. */
    public int wireValue() {
        return ordinal();
    }

    /**
     * Returns the constant with the given wire value.
     *
     * @param wireValue a number as returned by {@link #wireValue()}
     * @return the matching constant, never null
     * @throws DittoException {@link ErrorCode#INVALID_ARGUMENTS} if no constant has that value
     */
    public static AddressType fromWire(long wireValue) {
        if (wireValue < 0 || wireValue >= values().length) {
            throw new DittoException(ErrorCode.INVALID_ARGUMENTS,
                    "unknown address type " + wireValue + ": expected 0 (IPv4), 1 (IPv6) or 2 (Bluetooth)");
        }
        return values()[(int) wireValue];
    }
}
