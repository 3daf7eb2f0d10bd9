package ditto.transport.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLContext;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

class PemTlsTest {

    /**
     * Makes a self-signed certificate for 127.0.0.1/localhost with the JDK's keytool and writes
     * its PKCS#8 key and certificate as PEM.
     *
     * @return {key.pem, cert.pem}
     */
    static Path[] selfSignedPem(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process process = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "EC",
                "-groupname", "secp256r1", "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", store.toString(), "-storepass", "changeit",
                "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "keytool did not finish");
        assertEquals(0, process.exitValue(), output);
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        PrivateKey key = (PrivateKey) keyStore.getKey("server", "changeit".toCharArray());
        Path keyPem = Files.writeString(dir.resolve("key.pem"), pem("PRIVATE KEY", key.getEncoded()));
        Path certPem = Files.writeString(dir.resolve("cert.pem"),
                pem("CERTIFICATE", keyStore.getCertificate("server").getEncoded()));
        return new Path[] {keyPem, certPem};
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }

    @Test
    void buildsAServerContextFromAPkcs8KeyAndACertificate(@TempDir Path dir) throws Exception {
        Path[] pem = selfSignedPem(dir);
        SSLContext context = PemTls.serverContext(pem[0], pem[1]);
        assertNotNull(context.createSSLEngine());
    }

    @Test
    void refusesACertificateFileWithoutCertificatesNamingIt(@TempDir Path dir) throws Exception {
        Path[] pem = selfSignedPem(dir);
        Path empty = Files.writeString(dir.resolve("empty.pem"), "nothing here\n");
        DittoException e = assertThrows(DittoException.class, () -> PemTls.serverContext(pem[0], empty));
        assertEquals(ErrorCode.INVALID_CONFIG, e.code());
        assertTrue(e.getMessage().contains(empty.toString()), e.getMessage());
    }

    @Test
    void refusesAKeyFileWithoutAPkcs8KeyNamingIt(@TempDir Path dir) throws Exception {
        Path[] pem = selfSignedPem(dir);
        Path rsaStyle = Files.writeString(dir.resolve("rsa.pem"),
                "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        DittoException e = assertThrows(DittoException.class, () -> PemTls.serverContext(rsaStyle, pem[1]));
        assertTrue(e.getMessage().contains(rsaStyle.toString()) && e.getMessage().contains("PKCS#8"), e.getMessage());
    }

    @Test
    void refusesAKeyThatDoesNotParse(@TempDir Path dir) throws Exception {
        Path[] pem = selfSignedPem(dir);
        Path garbage = Files.writeString(dir.resolve("garbage.pem"), pem("PRIVATE KEY", new byte[] {1, 2, 3}));
        DittoException e = assertThrows(DittoException.class, () -> PemTls.serverContext(garbage, pem[1]));
        assertTrue(e.getMessage().contains(garbage.toString()), e.getMessage());
    }

    @Test
    void refusesAMissingFileNamingIt(@TempDir Path dir) {
        Path missing = dir.resolve("missing.pem");
        DittoException e = assertThrows(DittoException.class, () -> PemTls.trustingContext(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
