package ditto.shell;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
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
 * cover deliveries). Only the methods the shell calls are implemented (through dynamic
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
        return proxy(Ditto.class, (p, method, args) -> {
            switch (method.getName()) {
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
