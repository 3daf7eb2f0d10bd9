package ditto.distribution;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses an OSGi manifest header such as {@code Import-Package} or {@code Export-Package} into
 * clauses: {@code a.b;c.d;version="[1.0,2)";resolution:=optional, e.f} has two clauses, the
 * first with the paths {@code a.b} and {@code c.d}, the attribute {@code version} and the
 * directive {@code resolution}. Commas and semicolons inside double quotes do not separate.
 */
final class ManifestHeader {

    /** One clause: its paths (package names), attributes and directives, quotes removed. */
    record Clause(List<String> paths, Map<String, String> attributes, Map<String, String> directives) {
    }

    private ManifestHeader() {
    }

    /** Parses a header value; null or blank gives no clauses. */
    static List<Clause> parse(String header) {
        List<Clause> clauses = new ArrayList<>();
        if (header == null || header.isBlank()) {
            return clauses;
        }
        for (String clauseText : split(header, ',')) {
            List<String> paths = new ArrayList<>();
            Map<String, String> attributes = new LinkedHashMap<>();
            Map<String, String> directives = new LinkedHashMap<>();
            for (String part : split(clauseText, ';')) {
                int directive = part.indexOf(":=");
                int attribute = part.indexOf('=');
                if (directive > 0 && directive < attribute + 1) {
                    directives.put(part.substring(0, directive).strip(), unquote(part.substring(directive + 2)));
                } else if (attribute > 0) {
                    String name = part.substring(0, attribute).strip();
                    int type = name.indexOf(':'); // typed attribute: name:Type=value
                    attributes.put(type > 0 ? name.substring(0, type) : name, unquote(part.substring(attribute + 1)));
                } else if (!part.isBlank()) {
                    paths.add(part.strip());
                }
            }
            clauses.add(new Clause(List.copyOf(paths), Map.copyOf(attributes), Map.copyOf(directives)));
        }
        return clauses;
    }

    /** Every path named by the clauses, in order. */
    static List<String> paths(String header) {
        return parse(header).stream().flatMap(c -> c.paths().stream()).toList();
    }

    private static List<String> split(String text, char separator) {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            if (c == separator && !quoted) {
                parts.add(part.toString());
                part.setLength(0);
            } else {
                part.append(c);
            }
        }
        parts.add(part.toString());
        return parts;
    }

    private static String unquote(String value) {
        String v = value.strip();
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
