package ditto.shell;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import ditto.api.AuthenticationExpirationHandler;
import ditto.api.AuthenticationStatus;
import ditto.api.Authenticator;
import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.DittoConfigConnect;
import ditto.api.DittoFactory;
import ditto.api.QueryResult;
import ditto.api.QueryResultItem;
import ditto.api.Store;
import ditto.api.StoreObserver;
import ditto.api.Sync;

/**
 * A stand-in engine for the shell's tests: a {@link DittoFactory} whose instances answer
 * {@code store().execute(dql)} with a function of the statement and record
 * {@code registerObserver} calls (their observers never deliver; the tests with the real engine
 * cover deliveries), and whose clients of a server ({@link DittoConfigConnect.Server}) have an
 * authenticator that records the expiration handler and the logins and logs in whatever it is
 * given. Only the methods the shell calls are implemented (through dynamic
 * proxies); any other call fails the test.
 */
final class FakeEngine implements DittoFactory {

    /** What a fake statement returns: JSON strings of the items, mutated ids and a commit id. */
    record Answer(List<String> itemsJson, List<Object> mutatedIds, OptionalLong commitId) {
        static Answer items(String... json) {
            return new Answer(List.of(json), List.of(), OptionalLong.empty());
        }
    }

    final List<DittoConfig> opened = new ArrayList<>();
    /** The logins the fake authenticators were asked for: {@code token@provider} or {@code user:password@provider}. */
    final List<String> logins = new ArrayList<>();
    /** The expiration handler the shell set on the last client opened, or null. */
    AuthenticationExpirationHandler expirationHandler;
    /** The status of the last client opened; a login sets it, with the token or user as user id. */
    AuthenticationStatus authStatus = AuthenticationStatus.UNAUTHENTICATED;
    /** Answers a login with this exception when set. */
    RuntimeException loginFailure;
    int logoutCalls;
    final List<String> executed = new ArrayList<>();
    final List<String> observed = new ArrayList<>();
    int closeCalls;
    int closedItems;
    Function<DittoConfig, RuntimeException> openFailure = config -> null;
    Function<String, Answer> answers = dql -> Answer.items();
    SortedMap<String, SortedSet<String>> plugins = new TreeMap<>(Map.of(
            "transport", new TreeSet<>(List.of("ws", "lan", "ble")),
            "storage", new TreeSet<>(List.of("mvstore", "memory")),
            "identity", new TreeSet<>()));

    @Override
    public Ditto open(DittoConfig config) {
        RuntimeException failure = openFailure.apply(config);
        if (failure != null) {
            throw failure;
        }
        opened.add(config);
        Path directory = config.persistenceDirectory().orElse(Path.of("/default/ditto"));
        boolean[] closed = {false};
        Store store = proxy(Store.class, (p, method, args) -> {
            if (method.getName().equals("execute")) {
                String dql = (String) args[0];
                executed.add(dql);
                return result(answers.apply(dql));
            }
            if (method.getName().equals("registerObserver")) {
                String dql = (String) args[0];
                observed.add(dql);
                boolean[] canceled = {false};
                return proxy(StoreObserver.class, (o, m, a) -> {
                    switch (m.getName()) {
                        case "queryString": return dql;
                        case "isCanceled": return canceled[0];
                        case "cancel":
                            canceled[0] = true;
                            return null;
                        default: throw new AssertionError("unexpected call StoreObserver." + m.getName());
                    }
                });
            }
            throw new AssertionError("unexpected call Store." + method.getName());
        });
        Authenticator authenticator = proxy(Authenticator.class, (p, method, args) -> {
            switch (method.getName()) {
                case "setExpirationHandler":
                    expirationHandler = (AuthenticationExpirationHandler) args[0];
                    return null;
                case "status": return authStatus;
                case "login":
                case "loginWithCredentials":
                    if (loginFailure != null) {
                        throw loginFailure;
                    }
                    String user = (String) args[0];
                    logins.add(method.getName().equals("login") ? user + "@" + args[1]
                            : user + ":" + args[1] + "@" + args[2]);
                    authStatus = new AuthenticationStatus(true, user, Map.of("plan", "gold"));
                    return method.getName().equals("login") ? "{\"plan\":\"gold\"}" : null;
                case "logout":
                    logoutCalls++;
                    authStatus = AuthenticationStatus.UNAUTHENTICATED;
                    return null;
                default: throw new AssertionError("unexpected call Authenticator." + method.getName());
            }
        });
        boolean client = config.connect() instanceof DittoConfigConnect.Server;
        return proxy(Ditto.class, (p, method, args) -> {
            switch (method.getName()) {
                case "auth": return client ? Optional.of(authenticator) : Optional.empty();
                case "databaseId": return config.databaseId();
                case "absolutePersistenceDirectory": return directory;
                case "isClosed": return closed[0];
                case "store": return store;
                case "sync": return proxy(Sync.class, (o, m, a) -> {
                    if (m.getName().equals("isActive")) {
                        return false;
                    }
                    throw new AssertionError("unexpected call Sync." + m.getName());
                });
                case "close":
                    closed[0] = true;
                    closeCalls++;
                    return null;
                default: throw new AssertionError("unexpected call Ditto." + method.getName());
            }
        });
    }

    @Override
    public SortedMap<String, SortedSet<String>> plugins() {
        return Collections.unmodifiableSortedMap(plugins);
    }

    private QueryResult result(Answer answer) {
        List<QueryResultItem> items = new ArrayList<>();
        for (String json : answer.itemsJson()) {
            items.add(proxy(QueryResultItem.class, (p, method, args) -> {
                switch (method.getName()) {
                    case "jsonString": return json;
                    case "close":
                        closedItems++;
                        return null;
                    default: throw new AssertionError("unexpected call QueryResultItem." + method.getName());
                }
            }));
        }
        return proxy(QueryResult.class, (p, method, args) -> {
            switch (method.getName()) {
                case "items": return List.copyOf(items);
                case "itemCount": return items.size();
                case "mutatedDocumentIds": return answer.mutatedIds();
                case "commitId": return answer.commitId();
                case "close": return null;
                default: throw new AssertionError("unexpected call QueryResult." + method.getName());
            }
        });
    }

    private static <T> T proxy(Class<T> type, InvocationHandler handler) {
        return type.cast(Proxy.newProxyInstance(FakeEngine.class.getClassLoader(), new Class<?>[] {type}, handler));
    }
}
