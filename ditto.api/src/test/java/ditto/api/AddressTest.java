package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class AddressTest {

    @Test
    void addressTypesUseTheReferenceNumbers() {
        assertEquals(0, AddressType.IPV4.wireValue());
        assertEquals(1, AddressType.IPV6.wireValue());
        assertEquals(2, AddressType.BLUETOOTH.wireValue());
        assertEquals(AddressType.BLUETOOTH, AddressType.fromWire(2));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, assertThrows(DittoException.class, () -> AddressType.fromWire(3)).code());
        assertThrows(DittoException.class, () -> AddressType.fromWire(-1));
    }

    @Test
    void rejectsPortsOutsideSixteenBits() {
        new Address(AddressType.IPV6, "fe80::1", 65535);

        DittoException e = assertThrows(DittoException.class, () -> new Address(AddressType.IPV4, "10.0.0.1", 65536));

        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertThrows(DittoException.class, () -> new Address(AddressType.IPV4, "10.0.0.1", -1));
        assertThrows(NullPointerException.class, () -> new Address(null, "", 0));
    }

    @Test
    void unknownAddressIsTheGoZeroValue() {
        assertEquals(new Address(AddressType.IPV4, "", 0), Address.UNKNOWN);
    }
}
