package ditto.engine.crdt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import org.junit.jupiter.api.Test;

class PathTest {
    @Test
    void parsesDotsQuotedKeysBackticksAndIndexes() {
        // when DQL paths are parsed, then their segments are keys and indexes
        assertEquals(Path.of("a", "b", "c"), Path.parse("a.b.c"));
        assertEquals(Path.of("a", "odd key", 0, "x"), Path.parse("a['odd key'][0].x"));
        assertEquals(Path.of("a", "it's", "b`c"), Path.parse("a['it''s'].`b``c`"));
        assertEquals(Path.of("odd key", "x"), Path.parse("`odd key`.x"));
        assertEquals(Path.of("_id", "site"), Path.parse("_id.site"));
    }

    @Test
    void printsTheDqlFormThatParsesBack() {
        // given a path with plain and odd keys and an index
        Path p = Path.key("a").child("odd key").index(2).child("b");

        // then it prints in DQL form and parses back to itself
        assertEquals("a['odd key'][2].b", p.toString());
        assertEquals(p, Path.parse(p.toString()));
        Path odd = Path.of("it's `odd`", "k k");
        assertEquals("`it's ``odd```['k k']", odd.toString());
        assertEquals(odd, Path.parse(odd.toString()));
    }

    @Test
    void rejectsMalformedPathsNamingTheColumn() {
        for (String bad : new String[] {"", "a.", ".a", "a..b", "a[", "a[x]", "a['k'", "[0]", "a b", "1a", "a[-1]"}) {
            DittoException e = assertThrows(DittoException.class, () -> Path.parse(bad), bad);
            assertEquals(ErrorCode.INVALID_ARGUMENTS, e.code());
        }
        assertThrows(DittoException.class, () -> Path.of(0, "a"));
        assertThrows(DittoException.class, () -> Path.of("a", -1));
        assertThrows(DittoException.class, () -> Path.of());
    }
}
