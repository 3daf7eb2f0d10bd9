package ditto.engine.sync;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.tinylog.Logger;

import ditto.api.DittoException;
import ditto.engine.dql.Dql;
import ditto.engine.dql.DqlSettings;
import ditto.engine.dql.EvalContext;
import ditto.engine.dql.Expr;
import ditto.engine.dql.Statement;
import ditto.engine.store.Replication;
import ditto.engine.wire.Message;

/**
 * The remote peer's subscriptions as the sending side of a session serves them: a
 * {@link Replication.ChangeFilter} that wants a change log entry when, for some subscription on
 * the entry's collection whose checkpoint ({@code since}) is below the entry's commit, the
 * collection's sync scope allows sending to that peer and the document matches the WHERE clause
 * (a tombstone matches every subscription on its collection, since its fields are gone). An
 * entry whose state the remote itself sent (origin = remote site) is skipped unless a
 * subscription starts from scratch ({@code since} 0): the remote already holds it. Projection,
 * ORDER BY, LIMIT and OFFSET do not narrow what is sent: whole documents matching WHERE are.
 * Subscriptions that do not parse here, are not SELECTs, read a system collection or lack an
 * argument are ignored with a warning. Confined to the sync executor.
 */
final class RemoteQueries implements Replication.ChangeFilter {

    /** One parsed remote subscription. */
    record Query(String keyHex, String collection, Expr where, Dql.Condition test, EvalContext context, long since) {
    }

    private final Map<String, List<Query>> byCollection = new LinkedHashMap<>();
    private final List<Query> everything = new ArrayList<>();
    private final AccessRules access;
    private String current;
    private final DqlSettings settings;
    private final long remoteSite;
    private final boolean remoteIsServer;
    private final long minSince;
    private final int count;
    private final List<Query> relevant = new ArrayList<>();

    private RemoteQueries(DqlSettings settings, long remoteSite, boolean remoteIsServer, AccessRules access,
            List<Query> queries) {
        this.settings = settings;
        this.access = access;
        this.remoteSite = remoteSite;
        this.remoteIsServer = remoteIsServer;
        long min = Long.MAX_VALUE;
        for (Query q : queries) {
            if (q.collection().equals(LocalQuery.ALL_COLLECTIONS)) {
                everything.add(q);
            } else {
                byCollection.computeIfAbsent(q.collection(), c -> new ArrayList<>()).add(q);
            }
            min = Math.min(min, q.since());
        }
        this.minSince = queries.isEmpty() ? 0 : min;
        this.count = queries.size();
    }

    /**
     * Parses a subscriptions message.
     *
     * @param who names the session for log lines
     */
    static RemoteQueries parse(Message.Subscriptions message, Replication replication, long remoteSite,
            boolean remoteIsServer, AccessRules access, String who) {
        List<Query> queries = new ArrayList<>();
        for (Message.Subscription s : message.subscriptions()) {
            if (s.query().equals(LocalQuery.ALL_COLLECTIONS_QUERY)) {
                if (remoteIsServer) {
                    queries.add(new Query(HexFormat.of().formatHex(s.key()), LocalQuery.ALL_COLLECTIONS, null,
                            Dql.Condition.ALWAYS, EvalContext.of(Map.of()), s.since()));
                } else {
                    Logger.warn("sync {}: ignoring the peer's subscription to every collection: only a server peer"
                            + " may ask for that", who);
                }
                continue;
            }
            try {
                Statement statement = replication.cache().parse(s.query());
                Dql.requireSelect(statement, "subscription");
                Statement.Select select = (Statement.Select) statement;
                if (select.from().isVirtual()) {
                    throw new IllegalArgumentException("system collections do not sync");
                }
                EvalContext context = EvalContext.of(s.arguments());
                context.requireParameters(select);
                queries.add(new Query(HexFormat.of().formatHex(s.key()), select.from().name(), select.where(),
                        Dql.condition(select.where()), context, s.since()));
            } catch (DittoException | IllegalArgumentException e) {
                Logger.warn("sync {}: ignoring the peer's subscription '{}': {}", who, s.query(), e.getMessage());
            }
        }
        return new RemoteQueries(replication.settings(), remoteSite, remoteIsServer, access, queries);
    }

    /** Returns the lowest checkpoint among the subscriptions (0 if none): where a scan must start. */
    long minSince() {
        return minSince;
    }

    /** Returns how many subscriptions are served. */
    int size() {
        return count;
    }

    @Override
    public Interest interest(String collection, long commit, long origin) {
        List<Query> queries = byCollection.get(collection);
        if ((queries == null && everything.isEmpty()) || !scopeAllows(collection)
                || (access != null && access.readsNothing(collection))) {
            return Interest.NONE;
        }
        relevant.clear();
        if (queries != null) {
            relevant(queries, commit);
        }
        relevant(everything, commit);
        boolean fresh = false;
        boolean whole = false;
        for (Query q : relevant) {
            fresh |= q.since() == 0;
            whole |= q.where() == null;
        }
        if (relevant.isEmpty() || (origin == remoteSite && origin != 0 && !fresh)) {
            return Interest.NONE;
        }
        current = collection;
        if (access != null && !access.readsAll(collection)) {
            return Interest.VALUE;
        }
        return whole ? Interest.WHOLE : Interest.VALUE;
    }

    /** Adds the queries for which a change at {@code commit} is new. */
    private void relevant(List<Query> queries, long commit) {
        for (Query q : queries) {
            if (commit > q.since()) {
                relevant.add(q);
            }
        }
    }

    /** Only documents the remote's read permission allows are sent, tombstones included. */
    @Override
    public boolean allowsId(Object id) {
        return access == null || access.mayRead(current, id);
    }

    @Override
    public boolean matches(Map<String, Object> value) {
        for (Query q : relevant) {
            try {
                if (q.test().test(value, q.context())) {
                    return true;
                }
            } catch (DittoException e) {
                // A WHERE that fails on this document (a type error in a function) does not match it.
            }
        }
        return false;
    }

    private boolean scopeAllows(String collection) {
        return switch (settings.syncScope(collection)) {
            case "LocalPeerOnly" -> false;
            case "BigPeerOnly" -> remoteIsServer;
            case "SmallPeersOnly" -> !remoteIsServer;
            default -> true;
        };
    }
}
