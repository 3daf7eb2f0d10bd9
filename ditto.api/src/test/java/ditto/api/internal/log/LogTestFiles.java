package ditto.api.internal.log;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import ditto.api.internal.Json;

/** Reads an exported log back: gunzips it and parses every JSON line. */
public final class LogTestFiles {
    private LogTestFiles() {
    }

    /** Returns the exported records, in file order. */
    public static List<Map<String, Object>> readExport(Path file) throws IOException {
        List<Map<String, Object>> records = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(file)), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                records.add(Json.parseObject(line));
            }
        }
        return records;
    }
}
