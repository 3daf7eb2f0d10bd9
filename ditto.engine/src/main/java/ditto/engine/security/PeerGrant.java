package ditto.engine.security;

import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.Permissions;

/**
 * What a server peer granted a client at login, carried inside the client's certificate so that
 * every peer (the server, and small peers offline) learns the remote's permissions from the
 * certificate the remote proved in TLS.
 *
 * <p>Encoding: a non-critical X.509 extension {@value #OID} whose value is the UTF-8 JSON
 * <pre>{"v":1,"user_id":"alice","permissions":{"read":{"*":true,"cars":["_id.owner = 'alice'"]},
 *   "write":{"cars":false}}}</pre> where each collection maps to {@code true} (every document),
 * {@code false} (none) or a list of DQL conditions over {@code _id} (the documents any of them
 * matches), and {@code "*"} stands for every collection not named. The same shape as the
 * {@code permissions} claim of the JWT provider and the webhook answer.
 *
 * @param userId the user the server authenticated, never null
 * @param permissions what the holder may read and write, never null
 */
public record PeerGrant(String userId, Permissions permissions) {

    /**
     * The extension's object identifier: a UUID-based OID (ITU-T X.667, arc 2.25) owned by this
     * project, from the UUID {@code 5d1f0c1e-6a0b-4d7e-9b1a-0e4d1770d177}.
     */
    public static final String OID = "2.25.123779410609190950267277250770987176311";

    /** A grant that allows everything (the server peer's own certificate). */
    public static final PeerGrant SERVER = new PeerGrant("", Permissions.everything());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_BYTES = 64 * 1024;

    /** Checks the parts. */
    public PeerGrant {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(permissions, "permissions");
    }

    /** Returns the grant as the extension's JSON bytes. */
    byte[] encode() {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("v", 1);
        root.put("user_id", userId);
        root.set("permissions", permissionsJson(permissions));
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new DittoException(ErrorCode.INTERNAL, "certificate grant: cannot encode: " + e.getMessage(), e);
        }
    }

    /**
     * Returns permissions as the JSON object {@code {"read":{…},"write":{…}}}.
     *
     * @param permissions the permissions
     * @return a fresh JSON object
     */
    public static ObjectNode permissionsJson(Permissions permissions) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.set("read", rulesJson(permissions.read()));
        out.set("write", rulesJson(permissions.write()));
        return out;
    }

    private static ObjectNode rulesJson(Map<String, Permissions.Rule> rules) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        rules.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Permissions.Rule rule = e.getValue();
            if (rule.all() || rule.isNothing()) {
                out.put(e.getKey(), rule.all());
            } else {
                ArrayNode list = out.putArray(e.getKey());
                rule.idQueries().forEach(list::add);
            }
        });
        return out;
    }

    /**
     * Reads permissions from the JSON object {@code {"read":{…},"write":{…}}}.
     *
     * @param node the object
     * @param where names the source for errors
     * @return the permissions
     * @throws DittoException {@code AUTHENTICATION} naming what is malformed
     */
    public static Permissions permissionsOf(JsonNode node, String where) {
        if (node == null || !node.isObject()) {
            throw malformed(where, "'permissions' is not an object");
        }
        return new Permissions(rulesOf(node.get("read"), where + " read"), rulesOf(node.get("write"), where + " write"));
    }

    private static Map<String, Permissions.Rule> rulesOf(JsonNode node, String where) {
        Map<String, Permissions.Rule> rules = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return rules;
        }
        if (!node.isObject()) {
            throw malformed(where, "is not an object of collections");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            if (v.isBoolean()) {
                rules.put(e.getKey(), v.booleanValue() ? Permissions.Rule.everything() : Permissions.Rule.nothing());
            } else if (v.isArray()) {
                List<String> queries = new ArrayList<>();
                for (JsonNode q : v) {
                    if (!q.isTextual()) {
                        throw malformed(where, "collection '" + e.getKey() + "' lists a query that is not a string");
                    }
                    queries.add(q.textValue());
                }
                rules.put(e.getKey(), Permissions.Rule.matching(queries));
            } else {
                throw malformed(where, "collection '" + e.getKey() + "' is neither true, false nor a list of queries");
            }
        }
        return rules;
    }

    /**
     * Reads the grant of a certificate.
     *
     * @param certificate a peer certificate, never null
     * @return the grant, or empty if the certificate has no grant extension
     * @throws DittoException {@code AUTHENTICATION} if the extension is malformed
     */
    public static Optional<PeerGrant> of(X509Certificate certificate) {
        byte[] wrapped = certificate.getExtensionValue(OID);
        if (wrapped == null) {
            return Optional.empty();
        }
        byte[] json;
        try {
            ASN1Primitive outer = ASN1Primitive.fromByteArray(wrapped);
            json = ASN1OctetString.getInstance(ASN1Primitive.fromByteArray(
                    ASN1OctetString.getInstance(outer).getOctets())).getOctets();
        } catch (IOException | IllegalArgumentException e) {
            throw malformed("certificate grant", "the extension is not an octet string");
        }
        return Optional.of(decode(json));
    }

    /** Decodes the extension's JSON bytes. */
    static PeerGrant decode(byte[] json) {
        if (json.length > MAX_BYTES) {
            throw malformed("certificate grant", json.length + " bytes, above " + MAX_BYTES);
        }
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (IOException e) {
            throw malformed("certificate grant", "not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject() || root.path("v").asInt(0) != 1) {
            throw malformed("certificate grant", "not a version 1 grant object");
        }
        JsonNode user = root.get("user_id");
        if (user == null || !user.isTextual()) {
            throw malformed("certificate grant", "'user_id' is not a string");
        }
        return new PeerGrant(user.textValue(), permissionsOf(root.get("permissions"), "certificate grant"));
    }

    static ASN1ObjectIdentifier oid() {
        return new ASN1ObjectIdentifier(OID);
    }

    private static DittoException malformed(String where, String why) {
        return new DittoException(ErrorCode.AUTHENTICATION, where + ": " + why);
    }
}
