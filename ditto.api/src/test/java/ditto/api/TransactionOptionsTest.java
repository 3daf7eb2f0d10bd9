package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class TransactionOptionsTest {

    @Test
    void defaultIsReadWriteWithoutHint() {
        assertNull(TransactionOptions.DEFAULT.hint());
        assertFalse(TransactionOptions.DEFAULT.isReadOnly());
    }

    @Test
    void helpersDeriveOptions() {
        TransactionOptions ro = TransactionOptions.readOnly().withHint("report");
        assertTrue(ro.isReadOnly());
        assertEquals("report", ro.hint());
        assertEquals(new TransactionOptions("report", false), ro.withReadOnly(false));
        assertNull(ro.withHint(null).hint());
    }

    @Test
    void transactionInfoRequiresIdAndHintOptional() {
        TransactionInfo info = new TransactionInfo("tx-1", Optional.of("report"), true);
        assertEquals("tx-1", info.id());
        assertEquals(Optional.of("report"), info.hint());
        assertThrows(NullPointerException.class, () -> new TransactionInfo(null, Optional.empty(), false));
        assertThrows(NullPointerException.class, () -> new TransactionInfo("tx", null, false));
    }
}
