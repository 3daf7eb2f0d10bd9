package ditto.engine.dql;

/**
 * One lexical token. {@code start} and {@code end} are UTF-16 offsets into the statement text
 * ({@code end} exclusive), used to report positions and to test adjacency ({@code :name},
 * {@code system:indexes}). {@code text} is the raw spelling for words and symbols, the decoded
 * content for strings and quoted identifiers; {@code value} is the number for NUMBER tokens.
 */
record Token(Type type, String text, Object value, int start, int end) {

    /** Token kinds. Keywords are WORD tokens whose upper-case spelling is reserved. */
    enum Type {
        /** An unquoted word: identifier or keyword. */ WORD,
        /** A backtick- or double-quoted identifier. */ QUOTED,
        /** A single-quoted string. */ STRING,
        /** A number literal. */ NUMBER,
        /** Punctuation or operator. */ SYMBOL,
        /** End of input. */ EOF
    }

    boolean isSymbol(String s) {
        return type == Type.SYMBOL && text.equals(s);
    }

    boolean isKeyword(String upper) {
        return type == Type.WORD && Lexer.isKeywordSpelling(text, upper);
    }

    /** Returns whether this is a WORD spelled {@code upper} ignoring ASCII case, reserved or not. */
    boolean isWord(String upper) {
        return type == Type.WORD && text.equalsIgnoreCase(upper);
    }

    boolean isReservedWord() {
        return type == Type.WORD && Lexer.isReserved(text);
    }

    /** Describes the token for "but found …" in error messages. */
    String describe() {
        switch (type) {
            case EOF:
                return "end of input";
            case STRING:
                return "string '" + Lexer.abbreviate(text) + "'";
            case QUOTED:
                return "identifier `" + Lexer.abbreviate(text) + "`";
            case NUMBER:
                return "number " + Lexer.abbreviate(text);
            case WORD:
                return (Lexer.isReserved(text) ? "keyword " : "identifier ") + Lexer.abbreviate(text);
            default:
                return "'" + text + "'";
        }
    }
}
