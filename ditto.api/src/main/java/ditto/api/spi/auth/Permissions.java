package ditto.api.spi.auth;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an authenticated client may read and write, per collection.
 *
 * <p>Each map goes from a collection name to the rule for that collection; a collection absent
 * from a map is not allowed. The key {@link #ALL_COLLECTIONS} stands for every collection not
 * named otherwise. Every receiving peer enforces these: documents outside the read permission are
 * never sent to the client, and writes outside the write permission are rejected and never stored
 * or relayed.
 *
 * @param read the read rules, never null
 * @param write the write rules, never null
 */
public record Permissions(Map<String, Rule> read, Map<String, Rule> write) {

    /** The map key that stands for every collection not named in the map. */
    public static final String ALL_COLLECTIONS = "*";

    /**
     * Copies the maps and validates that no component is null.
     *
     * @throws NullPointerException if a component is null
     */
    public Permissions {
        read = Map.copyOf(read);
        write = Map.copyOf(write);
    }

    /** Returns permissions that allow nothing. */
    public static Permissions none() {
        return new Permissions(Map.of(), Map.of());
    }

    /** Returns permissions that allow reading and writing everything. */
    public static Permissions everything() {
        return new Permissions(Map.of(ALL_COLLECTIONS, Rule.everything()), Map.of(ALL_COLLECTIONS, Rule.everything()));
    }

    /**
     * Returns the read rule that applies to a collection.
     *
     * @param collection the collection name
     * @return the rule; {@link Rule#nothing()} if none applies
     */
    public Rule readRule(String collection) {
        return read.getOrDefault(collection, read.getOrDefault(ALL_COLLECTIONS, Rule.nothing()));
    }

    /**
     * Returns the write rule that applies to a collection.
     *
     * @param collection the collection name
     * @return the rule; {@link Rule#nothing()} if none applies
     */
    public Rule writeRule(String collection) {
        return write.getOrDefault(collection, write.getOrDefault(ALL_COLLECTIONS, Rule.nothing()));
    }

    /**
     * A rule for one collection: everything, nothing, or the documents matched by any of a list
     * of DQL conditions over {@code _id} (for example {@code "_id.owner = 'alice'"}).
     *
     * @param all true if every document is allowed
     * @param idQueries DQL WHERE conditions over {@code _id}; a document is allowed if any matches;
     *        never null
     */
    public record Rule(boolean all, List<String> idQueries) {

        /**
         * Copies the list and validates that no component is null.
         *
         * @throws NullPointerException if a component is null
         */
        public Rule {
            idQueries = List.copyOf(Objects.requireNonNull(idQueries, "idQueries"));
        }

        /** Returns the rule that allows every document. */
        public static Rule everything() {
            return new Rule(true, List.of());
        }

        /** Returns the rule that allows no document. */
        public static Rule nothing() {
            return new Rule(false, List.of());
        }

        /**
         * Returns a rule allowing the documents matched by any of these conditions on {@code _id}.
         *
         * @param idQueries DQL conditions
         * @return the rule
         */
        public static Rule matching(List<String> idQueries) {
            return new Rule(false, idQueries);
        }

        /** Tells whether the rule allows no document at all. */
        public boolean isNothing() {
            return !all && idQueries.isEmpty();
        }
    }
}
