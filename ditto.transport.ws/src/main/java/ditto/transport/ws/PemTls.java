package ditto.transport.ws;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * Builds {@link SSLContext}s from PEM files with the JDK alone: a server context from a PKCS#8
 * private key (RSA or EC, {@code -----BEGIN PRIVATE KEY-----}) and a certificate chain, and a
 * client context that trusts the certificates of one PEM file.
 *
 * <p>Role and invariants: stateless; every failure is a {@link DittoException}
 * ({@code INVALID_CONFIG}) whose message names the file and what is wrong with it. Key material
 * lives only in an in-memory key store with an empty password.
 */
final class PemTls {
    private static final Pattern BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----([A-Za-z0-9+/=\\s]*?)-----END \\1-----");
    private static final char[] NO_PASSWORD = new char[0];

    private PemTls() {
    }

    /**
     * Builds a server context.
     *
     * @param keyPath the PEM file holding one unencrypted PKCS#8 private key
     * @param certificatePath the PEM file holding the certificate chain, the server's certificate first
     * @return a TLS context presenting that key and chain
     * @throws DittoException {@code INVALID_CONFIG} naming the unreadable or malformed file
     */
    static SSLContext serverContext(Path keyPath, Path certificatePath) {
        List<Certificate> chain = certificates(certificatePath);
        PrivateKey key = privateKey(keyPath, chain.get(0).getPublicKey().getAlgorithm());
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("ditto", key, NO_PASSWORD, chain.toArray(Certificate[]::new));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, NO_PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "ws transport: the private key in " + keyPath
                    + " does not fit the certificate in " + certificatePath + ": " + e.getMessage(), e);
        }
    }

    /**
     * Builds a client context that trusts exactly the certificates in one PEM file.
     *
     * @param certificatePath the PEM file of trusted certificates
     * @return the TLS context
     * @throws DittoException {@code INVALID_CONFIG} naming the unreadable or malformed file
     */
    static SSLContext trustingContext(Path certificatePath) {
        List<Certificate> trusted = certificates(certificatePath);
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                store.setCertificateEntry("trusted-" + i, trusted.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new DittoException(ErrorCode.INVALID_CONFIG, "ws transport: cannot trust the certificates in "
                    + certificatePath + ": " + e.getMessage(), e);
        }
    }

    private static List<Certificate> certificates(Path path) {
        List<Certificate> result = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (byte[] der : blocks(path, "CERTIFICATE")) {
                result.add(factory.generateCertificate(new ByteArrayInputStream(der)));
            }
        } catch (GeneralSecurityException e) {
            throw invalid(path, "a certificate does not parse: " + e.getMessage());
        }
        if (result.isEmpty()) {
            throw invalid(path, "it holds no -----BEGIN CERTIFICATE----- block");
        }
        return result;
    }

    private static PrivateKey privateKey(Path path, String algorithm) {
        List<byte[]> keys = blocks(path, "PRIVATE KEY");
        if (keys.size() != 1) {
            throw invalid(path, "it must hold exactly one unencrypted PKCS#8 -----BEGIN PRIVATE KEY----- block, found "
                    + keys.size() + " (convert RSA/EC keys with: openssl pkcs8 -topk8 -nocrypt)");
        }
        try {
            return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(keys.get(0)));
        } catch (GeneralSecurityException e) {
            throw invalid(path, "the private key is not a " + algorithm + " PKCS#8 key matching the certificate: "
                    + e.getMessage());
        }
    }

    private static List<byte[]> blocks(Path path, String type) {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw invalid(path, "cannot read it: " + e);
        }
        List<byte[]> result = new ArrayList<>();
        Matcher matcher = BLOCK.matcher(text);
        while (matcher.find()) {
            if (matcher.group(1).equals(type)) {
                try {
                    result.add(Base64.getMimeDecoder().decode(matcher.group(2)));
                } catch (IllegalArgumentException e) {
                    throw invalid(path, "a " + type + " block is not valid base64");
                }
            }
        }
        return result;
    }

    private static DittoException invalid(Path path, String why) {
        return new DittoException(ErrorCode.INVALID_CONFIG, "ws transport: PEM file " + path + ": " + why);
    }
}
