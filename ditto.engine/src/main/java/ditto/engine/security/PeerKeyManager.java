package ditto.engine.security;

import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.function.Supplier;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * Offers this peer's one EC key and certificate to JSSE, in both TLS roles, whatever issuers
 * the remote lists (the remote's trust manager decides).
 *
 * <p>The credentials come from a supplier on every handshake, so a renewed certificate is used
 * by the next link without rebuilding the SSL context. Thread-safe if the supplier is.
 */
final class PeerKeyManager extends X509ExtendedKeyManager {

    /** The key and certificate chain (leaf first) offered in one handshake. */
    record Credentials(PrivateKey key, X509Certificate[] chain) {
    }

    static final String ALIAS = "ditto-peer";
    private static final String KEY_TYPE = "EC";

    private final Supplier<Credentials> credentials;

    PeerKeyManager(Supplier<Credentials> credentials) {
        this.credentials = credentials;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return KEY_TYPE.equals(keyType) ? new String[] {ALIAS} : null;
    }

    @Override
    public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
        return keyTypes != null && Arrays.asList(keyTypes).contains(KEY_TYPE) ? ALIAS : null;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
        return chooseClientAlias(keyTypes, issuers, null);
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return getClientAliases(keyType, issuers);
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return KEY_TYPE.equals(keyType) ? ALIAS : null;
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return chooseServerAlias(keyType, issuers, null);
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Credentials c = ALIAS.equals(alias) ? credentials.get() : null;
        return c == null ? null : c.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Credentials c = ALIAS.equals(alias) ? credentials.get() : null;
        return c == null ? null : c.key();
    }
}
