package ditto.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DataGeneratorTest {

    @Test
    void sameSeedGivesSameDocumentsByteForByte() {
        // given two generators with one seed
        List<Map<String, Object>> a = new DataGenerator(42).next(200);
        List<Map<String, Object>> b = new DataGenerator(42).next(200);

        // then their JSON is identical
        for (int i = 0; i < a.size(); i++) {
            assertEquals(SqliteSide.toJson(a.get(i)), SqliteSide.toJson(b.get(i)), "document " + i);
        }
    }

    @Test
    void otherSeedGivesOtherDocuments() {
        assertNotEquals(new DataGenerator(1).next(), new DataGenerator(2).next());
    }

    @Test
    void documentsHaveTheShapeBenchmarksMdAsksFor() {
        // given a sample of documents
        List<Map<String, Object>> docs = new DataGenerator(7).next(1_000);
        long jsonBytes = 0;
        Set<Object> ids = new HashSet<>();
        for (Map<String, Object> d : docs) {
            // then each has 12 fields, a nested map, a 5-item array, a ~700-char text and the W3 fields
            assertEquals(12, d.size(), d.keySet().toString());
            assertTrue(ids.add(d.get("_id")), "ids are unique");
            assertInstanceOf(Map.class, d.get("address"));
            assertInstanceOf(Map.class, ((Map<?, ?>) d.get("address")).get("geo"));
            assertEquals(5, ((List<?>) d.get("tags")).size());
            assertEquals(DataGenerator.BIO_CHARS, ((String) d.get("bio")).length());
            int age = (Integer) d.get("age");
            assertTrue(age >= 18 && age <= 77, "age " + age);
            assertTrue(DataGenerator.CITIES.contains(d.get("city")));
            assertInstanceOf(Boolean.class, d.get("active"));
            assertInstanceOf(Double.class, d.get("score"));
            int grp = (Integer) d.get("grp");
            assertTrue(grp >= 0 && grp < DataGenerator.GROUPS);
            jsonBytes += SqliteSide.toJson(d).getBytes(StandardCharsets.UTF_8).length;
        }
        // and they average about 1 KB of JSON
        double average = jsonBytes / (double) docs.size();
        assertTrue(average > 900 && average < 1200, "average JSON size " + average);
    }

    @Test
    void filtersMatchTheFractionsTheWorkloadsAssume() {
        // given 20,000 documents
        List<Map<String, Object>> docs = new DataGenerator(Sizes.SEED).next(20_000);

        // when W4's group and W3's (a) filter are applied
        long observed = docs.stream().filter(d -> (Integer) d.get("grp") == Fixture.OBSERVED_GROUP).count();
        long a = W3Queries.filterA(docs, "Berlin").size();

        // then about 1 % and about 0.25 % match
        assertTrue(observed > 150 && observed < 250, "grp matches " + observed);
        assertTrue(a > 25 && a < 75, "(a) matches " + a);
    }
}
