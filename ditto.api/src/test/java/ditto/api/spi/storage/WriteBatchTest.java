package ditto.api.spi.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class WriteBatchTest {

    @Test
    void keepsOperationsInOrderAndCountsBytes() {
        WriteBatch b = new WriteBatch()
                .put("docs", new byte[] {1}, new byte[] {9, 9})
                .delete("docs", new byte[] {2})
                .deleteRange("idx", new byte[] {3}, null);

        assertEquals(3, b.size());
        assertEquals(WriteBatch.Kind.PUT, b.ops().get(0).kind());
        assertEquals(WriteBatch.Kind.DELETE, b.ops().get(1).kind());
        assertEquals(WriteBatch.Kind.DELETE_RANGE, b.ops().get(2).kind());
        assertArrayEquals(new byte[] {9, 9}, b.ops().get(0).value());
        assertEquals(1 + 2 + 1 + 1, b.byteSize());
    }

    @Test
    void rejectsEmptyKeysAndSpaces() {
        WriteBatch b = new WriteBatch();
        DittoException e = assertThrows(DittoException.class, () -> b.put("docs", new byte[0], new byte[0]));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("docs"), e.getMessage());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> b.delete("", new byte[] {1})).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> b.put("docs", new byte[] {1}, null)).code());
        assertTrue(b.isEmpty(), "failed operations add nothing");
    }

    @Test
    void opsViewIsUnmodifiable() {
        WriteBatch b = new WriteBatch().put("s", new byte[] {1}, new byte[] {});
        assertThrows(UnsupportedOperationException.class, () -> b.ops().clear());
    }

    @Test
    void storageParametersCopyAndHideTheKey() {
        byte[] key = {1, 2, 3};
        StorageParameters p = new StorageParameters(Path.of("/tmp/x"), Optional.of(key), Map.of("cacheSizeMb", 8));
        key[0] = 42;
        assertArrayEquals(new byte[] {1, 2, 3}, p.encryptionKey().orElseThrow(), "key copied on construction");
        p.encryptionKey().orElseThrow()[1] = 42;
        assertArrayEquals(new byte[] {1, 2, 3}, p.encryptionKey().orElseThrow(), "key copied on access");
        assertTrue(!p.toString().contains("1, 2, 3") && p.toString().contains("encrypted=true"), p.toString());
        assertEquals(p, new StorageParameters(Path.of("/tmp/x"), Optional.of(new byte[] {1, 2, 3}),
                Map.of("cacheSizeMb", 8)));
    }

    @Test
    void entriesCompareByContent() {
        assertEquals(new Entry(new byte[] {1}, new byte[] {2}), new Entry(new byte[] {1}, new byte[] {2}));
        assertEquals(new Entry(new byte[] {1}, new byte[] {2}).hashCode(),
                new Entry(new byte[] {1}, new byte[] {2}).hashCode());
    }
}
