package ditto.testkit.auth;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import ditto.api.DittoException;
import ditto.api.ErrorCode;
import ditto.api.spi.auth.AuthenticationRequest;
import ditto.api.spi.auth.AuthenticationResult;
import ditto.api.spi.auth.IdentityParameters;
import ditto.api.spi.auth.IdentityProvider;
import ditto.api.spi.auth.IdentityVerifier;
import ditto.api.spi.auth.Permissions;

/**
 * The behaviour every {@link IdentityProvider} must show, as JUnit tests. A provider's test class
 * extends this class and supplies the provider, settings that make a working verifier, and a
 * request; the inherited tests then check the SPI contract: a stable id, settings that are
 * absent, unknown or of the wrong type handled (a verifier or {@code INVALID_CONFIG}, never
 * another exception), a verdict that is never null and self-consistent, idempotent close, and
 * concurrent use.
 *
 * <p>Subclasses add their provider-specific tests beside the inherited ones. Each test creates
 * its own provider and verifiers, so tests may run in parallel.
 */
public abstract class IdentityProviderContract {

    /** Creates the contract; subclasses have a public no-argument constructor for JUnit. */
    protected IdentityProviderContract() {
    }

    /**
     * Returns a new instance of the provider under test.
     *
     * @return the provider, never null
     */
    protected abstract IdentityProvider provider();

    /**
     * Returns parameters with which the provider creates a working verifier, one that grants
     * {@link #grantedRequest()}.
     *
     * @return the parameters, never null
     */
    protected abstract IdentityParameters workingParameters();

    /**
     * Returns a request that a verifier made from {@link #workingParameters()} grants.
     *
     * @return the request, never null
     */
    protected abstract AuthenticationRequest grantedRequest();

    /**
     * Returns a request that a verifier made from {@link #workingParameters()} denies, such as a
     * forged token. The default is empty: providers that grant everything (development) have
     * none.
     *
     * @return the request, or null if the provider grants every well-formed request
     */
    protected AuthenticationRequest deniedRequest() {
        return null;
    }

    /** The provider's id is non-blank, has no white space, and is the same on every call and instance. */
    @Test
    public void idIsStableAndWellFormed() {
        IdentityProvider first = provider();
        String id = first.id();
        assertNotNull(id, "id()");
        assertFalse(id.isBlank(), "id() must not be blank");
        assertFalse(id.chars().anyMatch(Character::isWhitespace), "id() must not contain white space: '" + id + "'");
        assertEquals(id, first.id(), "id() changed between calls");
        assertEquals(id, provider().id(), "id() differs between instances");
    }

    /** The working parameters give a verifier that grants the granted request with a full verdict. */
    @Test
    public void grantsTheGrantedRequest() {
        try (IdentityVerifier verifier = provider().create(workingParameters())) {
            AuthenticationResult result = verifier.authenticate(grantedRequest());
            assertConsistent(result);
            assertTrue(result.authenticated(), "expected a grant, got " + result.reason());
            assertTrue(result.expiresAt().get().isAfter(Instant.now()), "a fresh login must not be expired");
        }
    }

    /** The denied request, if the subclass has one, is denied with a reason and no permissions. */
    @Test
    public void deniesTheDeniedRequest() {
        AuthenticationRequest denied = deniedRequest();
        if (denied == null) {
            return;
        }
        try (IdentityVerifier verifier = provider().create(workingParameters())) {
            AuthenticationResult result = verifier.authenticate(denied);
            assertConsistent(result);
            assertFalse(result.authenticated(), "expected a denial");
        }
    }

    /** Absent settings give a verifier or INVALID_CONFIG, never another exception. */
    @Test
    public void absentSettingsGiveAVerifierOrInvalidConfig() {
        IdentityParameters working = workingParameters();
        createOrInvalidConfig(new IdentityParameters(working.databaseId(), working.developmentMode(), Map.of()));
    }

    /** Unknown settings beside the working ones are ignored or refused with INVALID_CONFIG. */
    @Test
    public void unknownSettingsAreIgnoredOrRefused() {
        IdentityParameters working = workingParameters();
        Map<String, Object> settings = new HashMap<>(working.settings());
        settings.put("ditto.testkit.unknownSetting", "surprise");
        settings.put("ditto.testkit.unknownNumber", 42);
        createOrInvalidConfig(new IdentityParameters(working.databaseId(), working.developmentMode(), settings));
    }

    /** Each working setting replaced by a value of an unexpected type is handled without a crash. */
    @Test
    public void wronglyTypedSettingsGiveAVerifierOrInvalidConfig() {
        IdentityParameters working = workingParameters();
        List<Object> oddValues = List.of(List.of(1, 2), Map.of("nested", true), -1, "", Double.NaN, "not a number");
        for (String key : working.settings().keySet()) {
            for (Object odd : oddValues) {
                Map<String, Object> settings = new HashMap<>(working.settings());
                settings.put(key, odd);
                createOrInvalidConfig(new IdentityParameters(working.databaseId(), working.developmentMode(), settings));
            }
        }
    }

    /** Odd but well-formed requests get a non-null, consistent verdict, never an exception. */
    @Test
    public void verdictIsNeverNull() {
        String peerKey = "pkAtestkitPeer";
        String provider = provider().id();
        List<AuthenticationRequest> requests = new ArrayList<>();
        requests.add(grantedRequest());
        requests.add(AuthenticationRequest.ofToken(provider, "", peerKey));
        requests.add(AuthenticationRequest.ofToken(provider, " ", peerKey));
        requests.add(AuthenticationRequest.ofToken(provider, "x".repeat(100_000), peerKey));
        requests.add(AuthenticationRequest.ofToken(provider, "\u0000\uD83D\uDE00\uFFFF", peerKey));
        requests.add(AuthenticationRequest.ofToken("ditto.testkit.someOtherProvider", "token", peerKey));
        requests.add(AuthenticationRequest.ofCredentials(provider, "alice", "secret", peerKey));
        requests.add(AuthenticationRequest.ofCredentials(provider, "", "", peerKey));
        if (deniedRequest() != null) {
            requests.add(deniedRequest());
        }
        try (IdentityVerifier verifier = provider().create(workingParameters())) {
            for (AuthenticationRequest request : requests) {
                AuthenticationResult result = assertDoesNotThrow(() -> verifier.authenticate(request),
                        "authenticate threw for " + request);
                assertConsistent(result);
            }
        }
    }

    /** Closing a verifier twice is harmless. */
    @Test
    public void closeIsIdempotent() {
        IdentityVerifier verifier = provider().create(workingParameters());
        verifier.close();
        assertDoesNotThrow(verifier::close);
    }

    /** Many threads authenticating at once each get the verdict a single thread gets. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    public void concurrentUseGivesTheSameVerdicts() throws Exception {
        int threads = 8;
        int rounds = 200;
        try (IdentityVerifier verifier = provider().create(workingParameters())) {
            boolean grantedAlone = verifier.authenticate(grantedRequest()).authenticated();
            AuthenticationRequest denied = deniedRequest();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < threads; t++) {
                    Callable<Integer> task = () -> {
                        go.await();
                        int mismatches = 0;
                        for (int i = 0; i < rounds; i++) {
                            AuthenticationResult granted = verifier.authenticate(grantedRequest());
                            assertConsistent(granted);
                            if (granted.authenticated() != grantedAlone) {
                                mismatches++;
                            }
                            if (denied != null) {
                                AuthenticationResult refused = verifier.authenticate(denied);
                                assertConsistent(refused);
                                if (refused.authenticated()) {
                                    mismatches++;
                                }
                            }
                        }
                        return mismatches;
                    };
                    results.add(pool.submit(task));
                }
                go.countDown();
                for (Future<Integer> result : results) {
                    assertEquals(0, result.get(), "verdicts under concurrency differ from the single-threaded one");
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /**
     * Asserts that a verdict is non-null and self-consistent: a grant has a user id, an expiry
     * and non-empty permissions and no reason; a denial has a non-blank reason, no user id and no
     * permissions.
     *
     * @param result the verdict to check
     */
    protected static void assertConsistent(AuthenticationResult result) {
        assertNotNull(result, "authenticate returned null");
        if (result.authenticated()) {
            assertTrue(result.userId().isPresent(), "a grant must carry a user id");
            assertFalse(result.userId().get().isEmpty(), "a grant must carry a non-empty user id");
            assertTrue(result.expiresAt().isPresent(), "a grant must carry an expiry");
            assertTrue(result.reason().isEmpty(), "a grant must not carry a denial reason");
            assertFalse(result.permissions().equals(Permissions.none()), "a grant must allow something");
        } else {
            assertTrue(result.reason().isPresent() && !result.reason().get().isBlank(), "a denial must carry a reason");
            assertTrue(result.userId().isEmpty(), "a denial must not carry a user id");
            assertEquals(Permissions.none(), result.permissions(), "a denial must not grant permissions");
        }
    }

    private void createOrInvalidConfig(IdentityParameters parameters) {
        IdentityVerifier verifier;
        try {
            verifier = provider().create(parameters);
        } catch (DittoException e) {
            assertEquals(ErrorCode.INVALID_CONFIG, e.code(), "create refused " + parameters + " with the wrong code: " + e);
            assertFalse(e.getMessage().isBlank(), "create refused " + parameters + " without a message");
            return;
        } catch (RuntimeException e) {
            fail("create threw " + e + " for " + parameters + "; expected a verifier or DittoException(INVALID_CONFIG)");
            return;
        }
        assertNotNull(verifier, "create returned null for " + parameters);
        try (verifier) {
            assertConsistent(verifier.authenticate(grantedRequest()));
        }
    }
}
