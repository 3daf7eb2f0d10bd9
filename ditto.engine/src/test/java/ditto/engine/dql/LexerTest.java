package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class LexerTest {

    @Test
    void decodesNumbersIntoCanonicalLiteralTypes() {
        List<Token> t = Lexer.tokenize("7 9223372036854775807 9223372036854775808 2.5 1e3 1E-2 2e+1 1e400");
        assertEquals(7L, t.get(0).value());
        assertEquals(Long.MAX_VALUE, t.get(1).value());
        assertEquals(new BigInteger("9223372036854775808"), t.get(2).value());
        assertEquals(2.5, t.get(3).value());
        assertEquals(1000.0, t.get(4).value());
        assertEquals(0.01, t.get(5).value());
        assertEquals(20.0, t.get(6).value());
        assertEquals(new BigDecimal("1e400"), t.get(7).value());
        assertEquals(Token.Type.EOF, t.get(8).type());
    }

    @Test
    void readsQuotedTextWithDoubledQuotes() {
        List<Token> t = Lexer.tokenize("'it''s' `a``b` \"c\"\"d\" ''");
        assertEquals("it's", t.get(0).text());
        assertEquals(Token.Type.STRING, t.get(0).type());
        assertEquals("a`b", t.get(1).text());
        assertEquals(Token.Type.QUOTED, t.get(1).type());
        assertEquals("c\"d", t.get(2).text());
        assertEquals("", t.get(3).text());
    }

    @Test
    void skipsCommentsAndWhitespace() {
        List<Token> t = Lexer.tokenize("-- line\n a /* block -- still */ b -- end");
        assertEquals(3, t.size());
        assertEquals("a", t.get(0).text());
        assertEquals("b", t.get(1).text());
    }

    @Test
    void recognizesKeywordsInAnyCaseButOnlyAscii() {
        assertTrue(Lexer.isReserved("sElEcT"));
        assertTrue(!Lexer.isReserved("ſelect"), "a non-ASCII look-alike is an identifier");
        assertTrue(!Lexer.isReserved("count"), "function names are not reserved");
        assertTrue(Lexer.isPlainIdentifier("_x9"));
        assertTrue(Lexer.isPlainIdentifier("日本"));
        assertTrue(!Lexer.isPlainIdentifier("9x"));
        assertTrue(!Lexer.isPlainIdentifier("order"));
    }

    @Test
    void reportsLineAndColumnCountingCodePointsAndLineBreakStyles() {
        assertEquals("line 1, column 1", Lexer.position("abc", 0));
        assertEquals("line 2, column 2", Lexer.position("a\r\nbc", 4));
        assertEquals("line 3, column 1", Lexer.position("a\rb\nc", 4));
        assertEquals("line 1, column 3", Lexer.position("😀x?", 3), "a surrogate pair is one column");
        DittoException e = assertThrows(DittoException.class, () -> Lexer.tokenize("SELECT\r\n  😀 #"));
        assertEquals(ErrorCode.QUERY_COMPILATION, e.code());
        assertEquals("line 2, column 3: expected a keyword, identifier, literal or operator but found '😀'", e.getMessage());
    }

    @Test
    void rejectsControlCharactersByCodePoint() {
        DittoException e = assertThrows(DittoException.class, () -> Lexer.tokenize("a \u0001"));
        assertEquals("line 1, column 3: expected a keyword, identifier, literal or operator but found character U+0001", e.getMessage());
    }

    @Test
    void rejectsAnExponentWithoutDigits() {
        DittoException e = assertThrows(DittoException.class, () -> Lexer.tokenize("1e+"));
        assertEquals("line 1, column 4: expected the digits of the exponent but found end of input", e.getMessage());
    }

    @Test
    void handlesVeryLongInputWithoutRecursion() {
        String big = "a ".repeat(500_000) + "'" + "x".repeat(1_000_000) + "'";
        List<Token> t = Lexer.tokenize(big);
        assertEquals(500_002, t.size());
        assertEquals(1_000_000, t.get(500_000).text().length());
    }
}
