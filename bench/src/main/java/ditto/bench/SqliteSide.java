package ditto.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The peer of every workload: SQLite through sqlite-jdbc, configured as BENCHMARKS.md says: WAL
 * journal, {@code synchronous=FULL} (a commit returns once the WAL is fsynced), one table
 * {@code docs(id TEXT PRIMARY KEY, body TEXT)} holding each document as JSON text.
 *
 * <p>Fairness: writes serialize the document map to JSON with Jackson (the work Ditto does when
 * it encodes a document), and reads parse the JSON body back to a {@code Map} with Jackson (the
 * work Ditto does in {@code QueryResultItem.value()}); both are inside the timed region. Queries
 * on document fields use {@code json_extract}. Not thread-safe: one connection, one thread.
 */
final class SqliteSide implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
    };

    private final Path file;
    private final Connection connection;
    private final PreparedStatement insert;
    private final PreparedStatement get;

    private SqliteSide(Path file, Connection connection) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.insert = connection.prepareStatement("INSERT INTO docs (id, body) VALUES (?, ?)");
        this.get = connection.prepareStatement("SELECT body FROM docs WHERE id = ?");
    }

    /**
     * Opens (creating if needed) the database file with WAL and {@code synchronous=FULL}, and
     * creates the table.
     */
    static SqliteSide open(Path file) throws SQLException {
        Connection c = connect(file);
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS docs (id TEXT PRIMARY KEY, body TEXT)");
        }
        return new SqliteSide(file, c);
    }

    /** Opens another connection to the same file with the same settings (for a reader thread). */
    static Connection connect(Path file) throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
        }
        return c;
    }

    Connection connection() {
        return connection;
    }

    Path file() {
        return file;
    }

    /** Inserts the documents in one transaction. */
    void insertInTransaction(List<Map<String, Object>> docs) throws SQLException {
        connection.setAutoCommit(false);
        try {
            for (Map<String, Object> doc : docs) {
                bindInsert(doc);
                insert.executeUpdate();
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(true);
        }
    }

    /** Inserts one document in its own transaction (autocommit); returns once it is durable. */
    void insertOne(Map<String, Object> doc) throws SQLException {
        bindInsert(doc);
        insert.executeUpdate();
    }

    private void bindInsert(Map<String, Object> doc) throws SQLException {
        insert.setString(1, (String) doc.get("_id"));
        insert.setString(2, toJson(doc));
    }

    /** Reads one document by id, parsed; null if absent. */
    Map<String, Object> get(String id) throws SQLException {
        get.setString(1, id);
        try (ResultSet rs = get.executeQuery()) {
            return rs.next() ? parse(rs.getString(1)) : null;
        }
    }

    /** Runs a query whose first column is a JSON body and parses every row. */
    List<Map<String, Object>> queryBodies(PreparedStatement statement) throws SQLException {
        List<Map<String, Object>> out = new ArrayList<>();
        try (ResultSet rs = statement.executeQuery()) {
            while (rs.next()) {
                out.add(parse(rs.getString(1)));
            }
        }
        return out;
    }

    /** Runs one SQL statement without parameters or results. */
    void execute(String sql) throws SQLException {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Checkpoints the WAL into the database file and truncates it, then returns the bytes of the
     * database, WAL and shared-memory files: what SQLite keeps on disk at rest.
     */
    long diskBytes() throws SQLException {
        execute("PRAGMA wal_checkpoint(TRUNCATE)");
        long total = 0;
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Path p = file.resolveSibling(file.getFileName() + suffix);
            try {
                total += Files.exists(p) ? Files.size(p) : 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return total;
    }

    @Override
    public void close() throws SQLException {
        insert.close();
        get.close();
        connection.close();
    }

    static String toJson(Map<String, Object> doc) {
        try {
            return JSON.writeValueAsString(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bench: a generated document cannot be written as JSON: "
                    + e.getMessage(), e);
        }
    }

    static Map<String, Object> parse(String json) {
        try {
            return JSON.readValue(json, MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("bench: SQLite returned a body that is not JSON: " + e.getMessage(), e);
        }
    }

    /** Deletes the database file and its WAL and shared-memory files, if present. */
    static void delete(Path file) throws IOException {
        for (String suffix : new String[] {"", "-wal", "-shm"}) {
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
        }
    }
}
