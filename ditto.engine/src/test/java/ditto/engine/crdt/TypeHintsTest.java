package ditto.engine.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ditto.api.DittoException;
import org.junit.jupiter.api.Test;

class TypeHintsTest {
    @Test
    void nestsHintsBelowMapKeys() {
        // given COLLECTION c (f MAP, n COUNTER, m MAP(x ATTACHMENT))
        TypeHints hints = TypeHints.builder()
                .put("f", CrdtType.MAP)
                .put("n", CrdtType.COUNTER)
                .put("m", CrdtType.MAP, TypeHints.builder().put("x", CrdtType.ATTACHMENT).build())
                .build();

        // then each key has its type and m's key x has its own
        assertEquals(CrdtType.COUNTER, hints.typeOf("n"));
        assertEquals(CrdtType.ATTACHMENT, hints.child("m").typeOf("x"));
        assertNull(hints.typeOf("other"));
        assertSame(TypeHints.NONE, hints.child("n"));
        assertEquals("(f MAP, n COUNTER, m MAP(x ATTACHMENT))", hints.toString());
    }

    @Test
    void declaringANestedPathMakesItsParentsMaps() {
        // when a.b is declared a COUNTER next to an existing declaration of a.c
        TypeHints hints = TypeHints.builder().put(Path.parse("a.c"), CrdtType.REGISTER).put(Path.parse("a.b"), CrdtType.COUNTER).build();

        // then a is a MAP holding both
        assertEquals(CrdtType.MAP, hints.typeOf("a"));
        assertEquals(CrdtType.COUNTER, hints.child("a").typeOf("b"));
        assertEquals(CrdtType.REGISTER, hints.child("a").typeOf("c"));
    }

    @Test
    void rejectsNestedHintsUnderNonMaps() {
        TypeHints inner = TypeHints.builder().put("x", CrdtType.COUNTER).build();
        assertThrows(DittoException.class, () -> TypeHints.builder().put("r", CrdtType.REGISTER, inner));
        assertThrows(DittoException.class, () -> TypeHints.builder().put("r", CrdtType.REGISTER).put(Path.parse("r.x"), CrdtType.COUNTER));
        assertThrows(DittoException.class, () -> TypeHints.builder().put(Path.parse("a[0]"), CrdtType.COUNTER));
    }
}
