package ditto.engine.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.Ditto;
import ditto.api.QueryResult;

/**
 * R8, the kill -9 loop: a child JVM commits numbered documents and prints each acknowledged
 * commit; the test kills it with SIGKILL ({@link Process#destroyForcibly()}) at a random moment,
 * reopens the store in this JVM and checks that it opens cleanly and holds every acknowledged
 * document. 20 cycles (500 with {@code -Dditto.reliability=true}); the seed is printed and
 * {@code -Dditto.seed=N} replays the kill timings.
 */
@Tag("slow")
class StoreImplKillTest {

    @TempDir
    Path temp;

    @Test
    void everyAcknowledgedCommitSurvivesSigkill() throws Exception {
        long seed = Long.getLong("ditto.seed", System.nanoTime());
        int cycles = Boolean.getBoolean("ditto.reliability") ? 500 : 20;
        System.out.println("StoreImplKillTest seed " + seed + " (" + cycles + " cycles)");
        SplittableRandom random = new SplittableRandom(seed);
        Path dir = temp.resolve("db");
        String databaseId = UUID.randomUUID().toString();
        Set<Long> acknowledged = new TreeSet<>();
        long next = 0;
        for (int cycle = 0; cycle < cycles; cycle++) {
            Set<Long> acked = runAndKill(dir, databaseId, next, random.nextInt(50, 700));
            acknowledged.addAll(acked);
            try (StoreFixture fixture = StoreFixture.mvstore()) {
                Ditto ditto = fixture.open(dir);
                Set<Long> present = new TreeSet<>();
                try (QueryResult r = ditto.store().execute("SELECT _id FROM numbers")) {
                    r.values().forEach(row -> present.add((Long) row.get("_id")));
                }
                Set<Long> missing = new TreeSet<>(acknowledged);
                missing.removeAll(present);
                assertEquals(Set.of(), missing, "seed " + seed + ", cycle " + cycle + ": acknowledged but lost");
                next = present.isEmpty() ? 0 : ((TreeSet<Long>) present).last() + 1;
                try (QueryResult r = ditto.store().execute("SELECT * FROM numbers WHERE v != _id")) {
                    assertEquals(0, r.itemCount(), "seed " + seed + ": a document was partially written");
                }
            }
        }
        assertTrue(acknowledged.size() > cycles, "the child committed too little to test anything: " + acknowledged.size());
    }

    /** Runs the child until it has opened the store, lets it write for a while, then kills it. */
    private Set<Long> runAndKill(Path dir, String databaseId, long from, int writeMillis) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", classPath(), KillLoopChild.class.getName(), dir.toString(), databaseId, Long.toString(from));
        Process process = new ProcessBuilder(command).directory(temp.toFile()).redirectErrorStream(true).start();
        Set<Long> acked = new ConcurrentSkipListSet<>();
        CountDownLatch opened = new CountDownLatch(1);
        List<String> output = new ArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    if (line.startsWith("ack ")) {
                        acked.add(Long.parseLong(line.substring(4)));
                    } else if (line.equals("opened")) {
                        opened.countDown();
                    } else if (output.size() < 200) {
                        output.add(line);
                    }
                }
            } catch (IOException e) {
                output.add("reading the child's output failed: " + e);
            }
        }, "kill-loop-reader");
        reader.start();
        boolean started = opened.await(60, TimeUnit.SECONDS);
        if (started) {
            Thread.sleep(writeMillis);
        }
        process.destroyForcibly();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        reader.join(10_000);
        assertTrue(started, "the child did not open the store: " + String.join("\n", output));
        return acked;
    }

    private static String classPath() {
        List<String> entries = new ArrayList<>();
        entries.add(Path.of(KillLoopChild.class.getProtectionDomain().getCodeSource().getLocation().getPath()).toString());
        for (String property : List.of("jdk.module.path", "java.class.path")) {
            String value = System.getProperty(property);
            if (value != null && !value.isEmpty()) {
                entries.addAll(List.of(value.split(File.pathSeparator)));
            }
        }
        return String.join(File.pathSeparator, entries);
    }
}
