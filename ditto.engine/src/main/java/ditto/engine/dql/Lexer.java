package ditto.engine.dql;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Splits DQL text into {@link Token}s in one linear pass (no recursion, so any input length is
 * safe). Skips whitespace and {@code --}/{@code /* *}{@code /} comments. Numbers are decoded
 * into their canonical literal type (see {@link Expr}). Errors are
 * {@link ErrorCode#QUERY_COMPILATION} with line and column.
 */
final class Lexer {

    /**
     * Reserved keywords (upper case); a field spelled like one must be quoted. Words that mean
     * something only at one place of one statement (DOCUMENTS, INDEX, SYSTEM, SHOW, EVICT,
     * EXPLAIN, INITIAL, ID, CONFLICT, …) are matched there by spelling and stay usable as names,
     * so that {@code documents.sync_session_status} or a field named {@code index} need no quotes.
     */
    static final Set<String> RESERVED = Set.of(
            "SELECT", "DISTINCT", "FROM", "COLLECTION", "WHERE", "GROUP", "BY", "HAVING", "ORDER", "ASC", "DESC",
            "LIMIT", "OFFSET", "AS", "INSERT", "INTO", "ON", "UPDATE", "SET", "UNSET", "APPLY",
            "DELETE", "CREATE", "DROP", "ALTER",
            "AND", "OR", "XOR", "NOT", "IS", "NULL", "MISSING", "UNKNOWN", "TRUE", "FALSE",
            "BETWEEN", "IN", "LIKE", "ILIKE", "JOIN", "UNION");

    private static final String[] SYMBOLS = {
        "||", "==", "!=", "<>", "<=", ">=", "(", ")", "[", "]", "{", "}", ",", ".", ":", ";",
        "*", "+", "-", "/", "%", "=", "<", ">"
    };

    private final String text;
    private int pos;

    private Lexer(String text) {
        this.text = text;
    }

    /** Returns the tokens of {@code text}, ending with one EOF token. */
    static List<Token> tokenize(String text) {
        return new Lexer(text).run();
    }

    static boolean isReserved(String word) {
        return isAscii(word) && RESERVED.contains(word.toUpperCase(Locale.ROOT));
    }

    static boolean isKeywordSpelling(String word, String upper) {
        return word.length() == upper.length() && word.equalsIgnoreCase(upper) && isAscii(word);
    }

    /** Returns whether {@code s} can be written as an unquoted identifier. */
    static boolean isPlainIdentifier(String s) {
        if (s.isEmpty() || !isIdentifierStart(s.codePointAt(0))) {
            return false;
        }
        for (int i = Character.charCount(s.codePointAt(0)); i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (!isIdentifierPart(cp)) {
                return false;
            }
            i += Character.charCount(cp);
        }
        return !isReserved(s);
    }

    static boolean isIdentifierStart(int cp) {
        return cp == '_' || Character.isLetter(cp);
    }

    static boolean isIdentifierPart(int cp) {
        return cp == '_' || Character.isLetterOrDigit(cp);
    }

    private static boolean isAscii(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) > 0x7F) {
                return false;
            }
        }
        return true;
    }

    private List<Token> run() {
        List<Token> tokens = new ArrayList<>();
        while (true) {
            skipSpaceAndComments();
            if (pos >= text.length()) {
                tokens.add(new Token(Token.Type.EOF, "", null, pos, pos));
                return tokens;
            }
            tokens.add(next());
        }
    }

    private void skipSpaceAndComments() {
        while (pos < text.length()) {
            char c = text.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (c == '-' && text.startsWith("--", pos)) {
                while (pos < text.length() && text.charAt(pos) != '\n' && text.charAt(pos) != '\r') {
                    pos++;
                }
            } else if (c == '/' && text.startsWith("/*", pos)) {
                int close = text.indexOf("*/", pos + 2);
                if (close < 0) {
                    throw error(text.length(), "expected '*/' closing the comment opened at "
                            + position(text, pos) + " but found end of input");
                }
                pos = close + 2;
            } else {
                return;
            }
        }
    }

    private Token next() {
        int start = pos;
        int cp = text.codePointAt(pos);
        if (isIdentifierStart(cp)) {
            pos += Character.charCount(cp);
            while (pos < text.length() && isIdentifierPart(text.codePointAt(pos))) {
                pos += Character.charCount(text.codePointAt(pos));
            }
            return new Token(Token.Type.WORD, text.substring(start, pos), null, start, pos);
        }
        if (cp >= '0' && cp <= '9') {
            return number(start);
        }
        if (cp == '\'') {
            String s = quoted('\'', "string");
            return new Token(Token.Type.STRING, s, null, start, pos);
        }
        if (cp == '`') {
            return new Token(Token.Type.QUOTED, quoted('`', "identifier"), null, start, pos);
        }
        if (cp == '"') {
            return new Token(Token.Type.QUOTED, quoted('"', "identifier"), null, start, pos);
        }
        for (String symbol : SYMBOLS) {
            if (text.startsWith(symbol, pos)) {
                pos += symbol.length();
                return new Token(Token.Type.SYMBOL, symbol, null, start, pos);
            }
        }
        throw error(start, "expected a keyword, identifier, literal or operator but found "
                + describeCodePoint(cp));
    }

    /** Reads a quoted run; the quote character doubled inside stands for itself. */
    private String quoted(char quote, String what) {
        int open = pos;
        pos++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            int close = text.indexOf(quote, pos);
            if (close < 0) {
                throw error(text.length(), "expected " + quote + " closing the " + what + " opened at "
                        + position(text, open) + " but found end of input");
            }
            sb.append(text, pos, close);
            if (close + 1 < text.length() && text.charAt(close + 1) == quote) {
                sb.append(quote);
                pos = close + 2;
            } else {
                pos = close + 1;
                return sb.toString();
            }
        }
    }

    private Token number(int start) {
        boolean decimal = false;
        while (pos < text.length() && isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos + 1 < text.length() && text.charAt(pos) == '.' && isDigit(text.charAt(pos + 1))) {
            decimal = true;
            pos++;
            while (pos < text.length() && isDigit(text.charAt(pos))) {
                pos++;
            }
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
            int p = pos + 1;
            if (p < text.length() && (text.charAt(p) == '+' || text.charAt(p) == '-')) {
                p++;
            }
            if (p < text.length() && isDigit(text.charAt(p))) {
                decimal = true;
                pos = p;
                while (pos < text.length() && isDigit(text.charAt(pos))) {
                    pos++;
                }
            } else {
                throw error(p, "expected the digits of the exponent but found " + describeAt(p));
            }
        }
        if (pos < text.length() && isIdentifierPart(text.codePointAt(pos))) {
            throw error(pos, "expected an operator or delimiter after the number but found "
                    + describeAt(pos));
        }
        String s = text.substring(start, pos);
        if (s.length() > 4096) {
            throw error(start, "expected a number of at most 4096 characters but found one of " + s.length());
        }
        Object value;
        try {
            value = decimal ? decimalValue(s) : integerValue(new BigInteger(s));
        } catch (NumberFormatException e) {
            throw error(start, "the number " + abbreviate(s) + " is out of range");
        }
        return new Token(Token.Type.NUMBER, s, value, start, pos);
    }

    /** Returns the canonical literal for an integer: Long if it fits, else BigInteger. */
    static Object integerValue(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    /**
     * Returns the canonical literal for a decimal spelling: Double if finite, else BigDecimal.
     *
     * @throws NumberFormatException if the exponent does not fit a BigDecimal
     */
    static Object decimalValue(String s) {
        double d = Double.parseDouble(s);
        if (Double.isInfinite(d)) {
            return new BigDecimal(s);
        }
        return d;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private String describeAt(int p) {
        return p >= text.length() ? "end of input" : describeCodePoint(text.codePointAt(p));
    }

    private static String describeCodePoint(int cp) {
        if (cp < 0x20 || cp == 0x7F || !Character.isDefined(cp) || Character.isWhitespace(cp)) {
            return String.format("character U+%04X", cp);
        }
        return "'" + new String(Character.toChars(cp)) + "'";
    }

    private DittoException error(int offset, String message) {
        return new DittoException(ErrorCode.QUERY_COMPILATION, position(text, offset) + ": " + message);
    }

    /** Returns "line L, column C" for a UTF-16 offset; columns count code points, both from 1. */
    static String position(String text, int offset) {
        int line = 1;
        int column = 1;
        int end = Math.min(offset, text.length());
        for (int i = 0; i < end; ) {
            char c = text.charAt(i);
            if (c == '\n' || c == '\r') {
                line++;
                column = 1;
                i += (c == '\r' && i + 1 < end && text.charAt(i + 1) == '\n') ? 2 : 1;
            } else {
                column++;
                i += Character.charCount(text.codePointAt(i));
            }
        }
        return "line " + line + ", column " + column;
    }

    /** Shortens untrusted text to a bounded, printable form for error messages. */
    static String abbreviate(String s) {
        StringBuilder sb = new StringBuilder();
        int n = Math.min(s.length(), 40);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7F || Character.isSurrogate(c)) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.toString();
    }
}
