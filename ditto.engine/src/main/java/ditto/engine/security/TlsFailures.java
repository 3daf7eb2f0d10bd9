package ditto.engine.security;

import java.security.cert.CertificateException;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLHandshakeException;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Translates JSSE failures into typed {@link DittoException}s.
 *
 * <p>{@code AUTHENTICATION}: this peer's trust manager refused the remote certificate, or the
 * TLS alert (received, or raised locally) is one that refuses a peer: certificate alerts,
 * {@code handshake_failure}, {@code protocol_version} (a downgrade), {@code insufficient_security},
 * {@code decrypt_error} (a CertificateVerify that does not match the certificate), and so on.
 * {@code PROTOCOL}: everything else, that is malformed or tampered records ({@code bad_record_mac},
 * {@code decode_error}, {@code unexpected_message}, bytes that are not TLS at all). Stateless.
 */
final class TlsFailures {

    /** Alerts that mean "I do not accept you as a peer" rather than "your bytes are broken". */
    private static final Set<String> AUTHENTICATION_ALERTS = Set.of("handshake_failure", "no_certificate",
            "bad_certificate", "unsupported_certificate", "certificate_revoked", "certificate_expired",
            "certificate_unknown", "unknown_ca", "access_denied", "decrypt_error", "protocol_version",
            "insufficient_security", "inappropriate_fallback", "certificate_required", "certificate_unobtainable",
            "bad_certificate_status_response", "bad_certificate_hash_value", "unknown_psk_identity");

    private static final Pattern RECEIVED = Pattern.compile("Received fatal alert: ([a-z_]+)");
    private static final Pattern RAISED = Pattern.compile("^\\(([a-z_]+)\\)");

    private TlsFailures() {
    }

    /**
     * Classifies a failure.
     *
     * @param failure what JSSE threw
     * @param where the failing operation and link, e.g. {@code "TLS handshake with 10.0.0.7:4040 (link lan-3)"}
     * @return the typed exception, with {@code failure} as its cause
     */
    static DittoException classify(Exception failure, String where) {
        CertificateException refused = find(failure, CertificateException.class);
        if (refused != null) {
            return new DittoException(ErrorCode.AUTHENTICATION, where + " failed: " + refused.getMessage(), failure);
        }
        String message = String.valueOf(failure.getMessage());
        Matcher received = RECEIVED.matcher(message);
        if (received.find()) {
            String alert = received.group(1);
            boolean authentication = AUTHENTICATION_ALERTS.contains(alert);
            String why = authentication ? "the peer refused this peer (TLS alert " + alert + ")"
                    : "the peer reported a broken TLS stream (TLS alert " + alert + ")";
            return new DittoException(authentication ? ErrorCode.AUTHENTICATION : ErrorCode.PROTOCOL,
                    where + " failed: " + why, failure);
        }
        Matcher raised = RAISED.matcher(message);
        ErrorCode code;
        if (raised.find()) {
            code = AUTHENTICATION_ALERTS.contains(raised.group(1)) ? ErrorCode.AUTHENTICATION : ErrorCode.PROTOCOL;
        } else {
            code = failure instanceof SSLHandshakeException ? ErrorCode.AUTHENTICATION : ErrorCode.PROTOCOL;
        }
        String why = code == ErrorCode.PROTOCOL ? "malformed or tampered TLS data (" + message + ")" : message;
        return new DittoException(code, where + " failed: " + why, failure);
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
