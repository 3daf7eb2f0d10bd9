package ditto.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The one seeded data generator every workload uses: the same seed yields the same documents,
 * byte for byte, on every machine and in every run.
 *
 * <p>A document has 12 top-level fields and about 1 KB of JSON:
 * <pre>
 *   _id      32 hex digits (random, like the ids the engine generates)
 *   name     "First Last"                email    "first.last123@example.org"
 *   age      18..77 (uniform)            city     one of {@link #CITIES} (uniform)
 *   active   true for about half         score    0.0..1000.0, two decimals
 *   created  epoch milliseconds in 2024  grp      0..99 (uniform; W4 observes one value, ~1 %)
 *   tags     a 5-item array of words     address  nested map {street, zip, country, geo {lat, lon}}
 *   bio      about 700 characters of words
 * </pre>
 * W3's filter {@code age BETWEEN 30 AND 32 AND city = :c} therefore matches about
 * 3/60 × 1/20 = 0.25 % of the documents, and {@code active} about half of them.
 *
 * <p>Not thread-safe; documents are fresh mutable maps the caller may keep.
 */
public final class DataGenerator {

    /** The cities W3 filters on; 20 of them, so an equality on one matches about 5 %. */
    public static final List<String> CITIES = List.of("Berlin", "Paris", "Lisbon", "Madrid", "Rome", "Vienna",
            "Prague", "Warsaw", "Oslo", "Dublin", "Athens", "Zurich", "Munich", "Milan", "Lyon", "Porto",
            "Krakow", "Bergen", "Cork", "Seville");

    /** How many distinct {@code grp} values there are: one value selects about 1 %. */
    public static final int GROUPS = 100;

    /** The {@code bio} field's target length in characters. */
    static final int BIO_CHARS = 700;

    private static final String[] FIRST = {"Ada", "Alan", "Grace", "Linus", "Barbara", "Edsger", "Donald",
        "Frances", "John", "Margaret", "Ken", "Radia", "Tim", "Shafi", "Leslie", "Niklaus"};
    private static final String[] LAST = {"Lovelace", "Turing", "Hopper", "Torvalds", "Liskov", "Dijkstra",
        "Knuth", "Allen", "McCarthy", "Hamilton", "Thompson", "Perlman", "Berners", "Goldwasser", "Lamport",
        "Wirth"};
    private static final String[] WORDS = {"sync", "mesh", "peer", "offline", "document", "replica", "merge",
        "clock", "vector", "delta", "gossip", "store", "index", "query", "observer", "commit", "durable",
        "network", "bluetooth", "socket", "cluster", "edge", "device", "battery", "latency", "throughput",
        "conflict", "register", "counter", "attachment", "presence", "transport", "session", "bundle"};
    private static final String[] STREETS = {"Main Street", "Harbour Road", "Station Lane", "Market Square",
        "Mill Way", "Church Row", "Park Avenue", "Bridge Street"};
    private static final String[] COUNTRIES = {"DE", "FR", "PT", "ES", "IT", "AT", "CZ", "PL", "NO", "IE",
        "GR", "CH"};
    private static final long CREATED_FROM = 1_704_067_200_000L; // 2024-01-01T00:00:00Z
    private static final long YEAR_MILLIS = 366L * 24 * 3600 * 1000;

    private final SplittableRandom random;

    /**
     * Creates a generator.
     *
     * @param seed the seed; equal seeds give equal document sequences
     */
    public DataGenerator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /**
     * Returns the next document: a fresh, insertion-ordered map of JSON-model values (String,
     * Integer, Long, Double, Boolean, List, Map) whose first key is {@code _id}.
     *
     * @return the document, never null
     */
    public Map<String, Object> next() {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("_id", hexId());
        String first = pick(FIRST);
        String last = pick(LAST);
        doc.put("name", first + " " + last);
        doc.put("email", first.toLowerCase(Locale.ROOT) + "." + last.toLowerCase(Locale.ROOT)
                + random.nextInt(1000) + "@example.org");
        doc.put("age", 18 + random.nextInt(60));
        doc.put("city", CITIES.get(random.nextInt(CITIES.size())));
        doc.put("active", random.nextBoolean());
        doc.put("score", random.nextInt(100_001) / 100.0);
        doc.put("created", CREATED_FROM + random.nextLong(YEAR_MILLIS));
        doc.put("grp", random.nextInt(GROUPS));
        List<Object> tags = new ArrayList<>(5);
        for (int i = 0; i < 5; i++) {
            tags.add(pick(WORDS));
        }
        doc.put("tags", tags);
        Map<String, Object> geo = new LinkedHashMap<>();
        geo.put("lat", Math.round((random.nextDouble() * 180 - 90) * 1e5) / 1e5);
        geo.put("lon", Math.round((random.nextDouble() * 360 - 180) * 1e5) / 1e5);
        Map<String, Object> address = new LinkedHashMap<>();
        address.put("street", (1 + random.nextInt(200)) + " " + pick(STREETS));
        address.put("zip", String.format(Locale.ROOT, "%05d", random.nextInt(100_000)));
        address.put("country", pick(COUNTRIES));
        address.put("geo", geo);
        doc.put("address", address);
        doc.put("bio", text(BIO_CHARS));
        return doc;
    }

    /**
     * Returns the next {@code count} documents.
     *
     * @param count how many, at least 0
     * @return a fresh list of fresh documents
     */
    public List<Map<String, Object>> next(int count) {
        List<Map<String, Object>> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            docs.add(next());
        }
        return docs;
    }

    private String hexId() {
        return String.format(Locale.ROOT, "%016x%016x", random.nextLong(), random.nextLong());
    }

    private String pick(String[] from) {
        return from[random.nextInt(from.length)];
    }

    /** Words separated by single spaces, cut to exactly {@code chars} characters. */
    private String text(int chars) {
        StringBuilder sb = new StringBuilder(chars + 16);
        while (sb.length() < chars) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(pick(WORDS));
        }
        sb.setLength(chars);
        return sb.toString();
    }
}
