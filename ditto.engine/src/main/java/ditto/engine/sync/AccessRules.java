package ditto.engine.sync;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.tinylog.Logger;

import ditto.api.DittoException;
import ditto.api.spi.auth.Permissions;
import ditto.engine.dql.Dql;
import ditto.engine.dql.EvalContext;

/**
 * A remote peer's permissions, compiled for one session: which documents this peer may send it
 * ({@link #mayRead}) and which documents it may change here ({@link #mayWrite}). Built from the
 * {@link Permissions} of the grant in the certificate the remote proved in TLS.
 *
 * <p>A collection's rule allows every document, none, or those whose {@code _id} satisfies any
 * of its DQL conditions (evaluated against the document {@code {"_id": id}}, so only {@code _id}
 * and its fields can be used). A condition that does not parse matches nothing, with one warning
 * in the log. Confined to the sync executor (the compiled rules are cached per collection).
 */
final class AccessRules {

    private record Compiled(boolean all, List<Dql.Condition> conditions) {
        boolean allows(Object id) {
            if (all) {
                return true;
            }
            if (conditions.isEmpty()) {
                return false;
            }
            Map<String, Object> doc = Map.of("_id", id);
            for (Dql.Condition c : conditions) {
                try {
                    if (c.test(doc, CONTEXT)) {
                        return true;
                    }
                } catch (DittoException ignored) {
                    // a condition that fails on this id does not allow it
                }
            }
            return false;
        }
    }

    private static final EvalContext CONTEXT = EvalContext.of(Map.of());

    private final Permissions permissions;
    private final String userId;
    private final long expiresAtMillis;
    private final Map<String, Compiled> read = new HashMap<>();
    private final Map<String, Compiled> write = new HashMap<>();

    /**
     * @param permissions the remote's permissions
     * @param userId the remote's user id, for log lines
     * @param expiresAtMillis when the remote's certificate expires (epoch milliseconds)
     */
    AccessRules(Permissions permissions, String userId, long expiresAtMillis) {
        this.permissions = Objects.requireNonNull(permissions, "permissions");
        this.userId = Objects.requireNonNull(userId, "userId");
        this.expiresAtMillis = expiresAtMillis;
    }

    /** Returns when the remote's certificate expires (epoch milliseconds). */
    long expiresAtMillis() {
        return expiresAtMillis;
    }

    /** Returns the remote's user id as its certificate names it. */
    String userId() {
        return userId;
    }

    /** Tells whether the remote may read nothing at all of a collection. */
    boolean readsNothing(String collection) {
        return permissions.readRule(collection).isNothing();
    }

    /** Tells whether the remote may read every document of a collection. */
    boolean readsAll(String collection) {
        return permissions.readRule(collection).all();
    }

    /** Tells whether the remote may read one document. */
    boolean mayRead(String collection, Object id) {
        Compiled rule = read.get(collection);
        if (rule == null) {
            rule = compile(permissions.readRule(collection), collection, "read");
            read.put(collection, rule);
        }
        return rule.allows(id);
    }

    /** Tells whether the remote may change one document here. */
    boolean mayWrite(String collection, Object id) {
        Compiled rule = write.get(collection);
        if (rule == null) {
            rule = compile(permissions.writeRule(collection), collection, "write");
            write.put(collection, rule);
        }
        return rule.allows(id);
    }

    private Compiled compile(Permissions.Rule rule, String collection, String kind) {
        if (rule.all() || rule.isNothing()) {
            return new Compiled(rule.all(), List.of());
        }
        List<Dql.Condition> conditions = new ArrayList<>();
        for (String q : rule.idQueries()) {
            try {
                conditions.add(Dql.condition(Dql.parseExpression(q)));
            } catch (DittoException e) {
                Logger.warn("sync: the {} permission of user '{}' on '{}' has a condition that does not parse; it"
                        + " matches nothing: '{}': {}", kind, userId, collection, q, e.getMessage());
            }
        }
        return new Compiled(false, List.copyOf(conditions));
    }
}
