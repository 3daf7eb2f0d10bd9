package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class DiskUsageItemTest {

    private static DiskUsageItem file(String path, long size) {
        return new DiskUsageItem(path, size, null, List.of());
    }

    private static DiskUsageItem tree() {
        DiskUsageItem store = new DiskUsageItem("store", 300, FileSystemType.STORE,
                List.of(file("store/data.mv", 250), file("store/index", 50)));
        DiskUsageItem attachments = new DiskUsageItem("attachments", 70, FileSystemType.ATTACHMENTS,
                List.of(file("attachments/ab", 70)), Map.of("count", 1L));
        return new DiskUsageItem("", 370, FileSystemType.ROOT, List.of(store, attachments));
    }

    @Test
    void findByPathFindsRootAndNestedNodes() {
        DiskUsageItem root = tree();
        assertSame(root, root.findByPath("").orElseThrow());
        assertEquals(FileSystemType.STORE, root.findByPath("store").orElseThrow().fileSystemType());
        assertEquals(50, root.findByPath("store/index").orElseThrow().sizeInBytes());
        assertEquals(70, root.findByPath("attachments/ab").orElseThrow().sizeInBytes());
    }

    @Test
    void findByPathReturnsEmptyForUnknownPath() {
        assertEquals(Optional.empty(), tree().findByPath("store/missing"));
        assertEquals(Optional.empty(), tree().findByPath("/store"));
    }

    @Test
    void findByPathReturnsFirstMatchDepthFirst() {
        DiskUsageItem deep = new DiskUsageItem("dup", 1, null, List.of());
        DiskUsageItem first = new DiskUsageItem("a", 1, null, List.of(deep));
        DiskUsageItem second = new DiskUsageItem("dup", 2, null, List.of());
        DiskUsageItem root = new DiskUsageItem("", 3, FileSystemType.ROOT, List.of(first, second));
        assertSame(deep, root.findByPath("dup").orElseThrow());
    }

    @Test
    void totalSizeSumsLeaves() {
        assertEquals(370, tree().totalSize());
        DiskUsageItem inconsistent = new DiskUsageItem("", 999, FileSystemType.ROOT, List.of(file("a", 1), file("b", 2)));
        assertEquals(3, inconsistent.totalSize());
        assertEquals(5, file("x", 5).totalSize());
    }

    @Test
    void totalSizeSaturatesInsteadOfOverflowing() {
        DiskUsageItem root = new DiskUsageItem("", Long.MAX_VALUE, FileSystemType.ROOT,
                List.of(file("a", Long.MAX_VALUE), file("b", Long.MAX_VALUE)));
        assertEquals(Long.MAX_VALUE, root.totalSize());
    }

    @Test
    void rejectsNegativeSizeAndNulls() {
        DittoException e = assertThrows(DittoException.class, () -> file("f", -1));
        assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        assertTrue(e.getMessage().contains("'f'"), e.getMessage());
        assertThrows(NullPointerException.class, () -> new DiskUsageItem(null, 1, null, List.of()));
        assertThrows(NullPointerException.class, () -> new DiskUsageItem("p", 1, null, null));
    }

    @Test
    void childrenAndMetadataAreCopied() {
        List<DiskUsageItem> children = new ArrayList<>(List.of(file("a", 1)));
        DiskUsageItem item = new DiskUsageItem("", 1, FileSystemType.ROOT, children);
        children.add(file("b", 2));
        assertEquals(1, item.children().size());
        assertThrows(UnsupportedOperationException.class, () -> item.children().add(file("c", 3)));
        assertThrows(UnsupportedOperationException.class, () -> tree().findByPath("attachments").orElseThrow()
                .metadata().put("x", 1));
    }

    @Test
    void equalityIsStructural() {
        assertEquals(tree(), tree());
        assertEquals(tree().hashCode(), tree().hashCode());
        assertNotEquals(tree(), tree().children().get(0));
    }
}
