package ditto.engine.store;

import java.nio.file.Path;
import java.util.Map;

import ditto.api.Ditto;
import ditto.api.DittoConfig;
import ditto.api.TransactionCompletionAction;

/**
 * Child-JVM entry point of {@link StoreImplKillTest}: opens the Ditto instance in the directory
 * given as first argument on the MVStore backend, then commits numbered documents from the
 * number given as third argument on, forever, printing {@code ack N} after each commit of
 * document N returned (every fifth commit is a transaction of three documents, acknowledged
 * together). The parent kills it with SIGKILL at a random moment.
 */
public final class KillLoopChild {
    private KillLoopChild() {
    }

    public static void main(String[] args) {
        DittoConfig config = DittoConfig.defaults().withDatabaseId(args[1]).withPersistenceDirectory(Path.of(args[0]))
                .withExperimental(Map.of("storage.provider", "mvstore"));
        Ditto ditto = Ditto.open(config);
        System.out.println("opened");
        System.out.flush();
        long n = Long.parseLong(args[2]);
        while (true) {
            if (n % 5 == 0) {
                long first = n;
                ditto.store().transaction(null, tx -> {
                    for (long i = first; i < first + 3; i++) {
                        tx.execute("INSERT INTO numbers DOCUMENTS ({'_id': :n, 'v': :n})", Map.of("n", i));
                    }
                    return TransactionCompletionAction.COMMIT;
                });
                for (long i = first; i < first + 3; i++) {
                    System.out.println("ack " + i);
                }
                n += 3;
            } else {
                ditto.store().execute("INSERT INTO numbers DOCUMENTS ({'_id': :n, 'v': :n})", Map.of("n", n));
                System.out.println("ack " + n);
                n++;
            }
            System.out.flush();
        }
    }
}
