package ditto.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DiffTest {

    @Test
    void sortsAndCopiesIndexesAndMoves() {
        Diff diff = Diff.of(Set.of(3, 1), Set.of(2), Set.of(), List.of(new Move(5, 0), new Move(1, 4)));
        assertEquals(List.of(1, 3), List.copyOf(diff.insertions()));
        assertEquals(List.of(new Move(1, 4), new Move(5, 0)), diff.moves());
        assertThrows(UnsupportedOperationException.class, () -> diff.insertions().add(9));
        assertThrows(UnsupportedOperationException.class, () -> diff.moves().add(new Move(0, 0)));
    }

    @Test
    void equalityIgnoresInputOrder() {
        Diff a = Diff.of(Set.of(1, 2), Set.of(), Set.of(0), List.of(new Move(3, 1), new Move(0, 2)));
        Diff b = Diff.of(Set.of(2, 1), Set.of(), Set.of(0), List.of(new Move(0, 2), new Move(3, 1)));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, Diff.EMPTY);
        assertTrue(Diff.EMPTY.isEmpty());
        assertFalse(a.isEmpty());
    }

    @Test
    void toStringListsAllParts() {
        Diff diff = Diff.of(Set.of(0), Set.of(1), Set.of(2), List.of(new Move(3, 4)));
        assertEquals("Diff[insertions=[0], deletions=[1], updates=[2], moves=[3->4]]", diff.toString());
    }

    @Test
    void rejectsNegativeIndexes() {
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> new Move(-1, 0)).code());
        assertEquals(ErrorCode.INVALID_ARGUMENTS,
                assertThrows(DittoException.class, () -> Diff.of(Set.of(-1), Set.of(), Set.of(), List.of())).code());
    }

    @Test
    void movesOrderByFromThenTo() {
        assertTrue(new Move(1, 9).compareTo(new Move(2, 0)) < 0);
        assertTrue(new Move(1, 1).compareTo(new Move(1, 2)) < 0);
        assertEquals(0, new Move(1, 1).compareTo(new Move(1, 1)));
    }
}
