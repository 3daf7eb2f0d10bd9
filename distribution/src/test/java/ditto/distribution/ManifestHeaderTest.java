package ditto.distribution;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ManifestHeaderTest {

    @Test
    void splitsClausesAtCommasOutsideQuotes() {
        // when
        List<ManifestHeader.Clause> clauses = ManifestHeader.parse(
                "ditto.api;version=\"[1.0,2)\",javax.jmdns;version=\"[3.6,4)\";resolution:=optional,java.util");

        // then
        assertEquals(List.of(
                new ManifestHeader.Clause(List.of("ditto.api"), Map.of("version", "[1.0,2)"), Map.of()),
                new ManifestHeader.Clause(List.of("javax.jmdns"), Map.of("version", "[3.6,4)"), Map.of("resolution", "optional")),
                new ManifestHeader.Clause(List.of("java.util"), Map.of(), Map.of())), clauses);
    }

    @Test
    void readsSeveralPathsOfOneClauseAndTypedAttributes() {
        // when
        List<ManifestHeader.Clause> clauses = ManifestHeader.parse(
                "org.slf4j;org.slf4j.spi;version:Version=\"2.0.17\";uses:=\"org.slf4j,org.slf4j.event\"");

        // then
        assertEquals(1, clauses.size());
        assertEquals(List.of("org.slf4j", "org.slf4j.spi"), clauses.get(0).paths());
        assertEquals(Map.of("version", "2.0.17"), clauses.get(0).attributes());
        assertEquals(Map.of("uses", "org.slf4j,org.slf4j.event"), clauses.get(0).directives());
    }

    @Test
    void absentHeaderHasNoClauses() {
        assertEquals(List.of(), ManifestHeader.parse(null));
        assertEquals(List.of(), ManifestHeader.paths("  "));
    }
}
