package ditto.engine.dql;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import ditto.api.DittoException;

/**
 * Keeps the user reference honest: every statement in a {@code sql} block of
 * {@code docs/dql.md} (statements end with {@code ;} at the end of a line) must parse, and
 * printing it must give text that parses back to the same tree; the reserved-word list must be
 * the lexer's. The file is found at
 * {@code ../docs/dql.md} from the module directory (where Maven runs tests), or at the path in
 * the {@code dql.reference} system property.
 */
class DqlReferenceTest {

    private static Path reference() {
        Path doc = Path.of(System.getProperty("dql.reference", "../docs/dql.md"));
        assertTrue(Files.isRegularFile(doc), "the DQL reference is at " + doc.toAbsolutePath());
        return doc;
    }

    @Test
    void listsExactlyTheReservedWords() throws IOException {
        String text = Files.readString(reference(), StandardCharsets.UTF_8);
        int at = text.indexOf("The reserved words are:");
        assertTrue(at >= 0, "the reference lists the reserved words");
        int open = text.indexOf('`', at);
        String list = text.substring(open + 1, text.indexOf('`', open + 1));
        assertEquals(new TreeSet<>(Lexer.RESERVED), new TreeSet<>(Arrays.asList(list.trim().split("\\s+"))));
    }

    @Test
    void everyExampleInTheReferenceParses() throws IOException {
        Path doc = reference();
        List<String> statements = new ArrayList<>();
        boolean inSql = false;
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(doc, StandardCharsets.UTF_8)) {
            if (!inSql && line.trim().equals("```sql")) {
                inSql = true;
            } else if (inSql && line.trim().equals("```")) {
                inSql = false;
                if (!current.toString().isBlank()) {
                    statements.add(current.toString());
                }
                current.setLength(0);
            } else if (inSql) {
                current.append(line).append('\n');
                if (line.stripTrailing().endsWith(";")) {
                    statements.add(current.toString());
                    current.setLength(0);
                }
            }
        }
        assertTrue(statements.size() >= 60, "the reference has an example for every feature; found " + statements.size());
        for (String text : statements) {
            try {
                Statement s = Dql.parse(text);
                if (!s.equals(Dql.parse(Dql.print(s)))) {
                    fail("example does not print back to itself: " + text);
                }
            } catch (DittoException e) {
                fail("example in " + doc + " does not parse: " + e.getMessage() + "\n" + text, e);
            }
        }
    }
}
