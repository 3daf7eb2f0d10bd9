package ditto.engine.auth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import ditto.api.DittoException;
import ditto.api.ErrorCode;

/**
 * The server-peer configuration of an instance, from the experimental configuration key
 * {@value #KEY}. An instance with this key is a server peer: it subscribes to every document of
 * every peer, authenticates its clients through identity providers, issues their certificates
 * and accepts only peers holding one.
 *
 * <pre>
 * "server": {
 *   "development_mode": false,                 // optional; accepts the development provider
 *   "identity_providers": {                    // optional; name clients log in with → settings
 *     "jwt":   {"hs256_secret": "…"},           // "type" defaults to the name
 *     "corp":  {"type": "webhook", "url": "https://auth.example.com/ditto"}
 *   }
 * }
 * </pre>
 *
 * @param developmentMode whether the development provider is accepted
 * @param providers the identity providers by the name clients use
 */
public record ServerConfig(boolean developmentMode, Map<String, Provider> providers) {

    /** The experimental configuration key. */
    public static final String KEY = "server";

    /**
     * One configured identity provider.
     *
     * @param name the name clients log in with
     * @param type the {@link ditto.api.spi.auth.IdentityProvider#id()} of the plug-in that checks it
     * @param settings the plug-in's settings ({@code type} removed)
     */
    public record Provider(String name, String type, Map<String, Object> settings) {
        /** Copies the settings. */
        public Provider {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(type, "type");
            settings = Map.copyOf(settings);
        }
    }

    /** Copies the providers. */
    public ServerConfig {
        providers = Map.copyOf(providers);
    }

    /**
     * Reads the server configuration from an instance's experimental configuration.
     *
     * @param experimental the experimental configuration
     * @return the server configuration, or empty if the instance is not a server peer
     * @throws DittoException {@code INVALID_CONFIG} naming the malformed key
     */
    public static Optional<ServerConfig> of(Map<String, Object> experimental) {
        Object value = experimental.get(KEY);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            throw invalid("", "expected an object, got " + describe(value));
        }
        boolean development = false;
        Map<String, Provider> providers = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            String key = String.valueOf(e.getKey());
            switch (key) {
                case "development_mode" -> {
                    if (!(e.getValue() instanceof Boolean b)) {
                        throw invalid(".development_mode", "expected true or false, got " + describe(e.getValue()));
                    }
                    development = b;
                }
                case "identity_providers" -> {
                    if (!(e.getValue() instanceof Map<?, ?> list)) {
                        throw invalid(".identity_providers", "expected an object of providers, got "
                                + describe(e.getValue()));
                    }
                    for (Map.Entry<?, ?> p : list.entrySet()) {
                        String name = String.valueOf(p.getKey());
                        if (name.isBlank()) {
                            throw invalid(".identity_providers", "a provider name is blank");
                        }
                        if (!(p.getValue() instanceof Map<?, ?> settings)) {
                            throw invalid(".identity_providers." + name, "expected an object of settings, got "
                                    + describe(p.getValue()));
                        }
                        Map<String, Object> copy = new LinkedHashMap<>();
                        String type = name;
                        for (Map.Entry<?, ?> s : settings.entrySet()) {
                            if ("type".equals(s.getKey())) {
                                if (!(s.getValue() instanceof String t) || t.isBlank()) {
                                    throw invalid(".identity_providers." + name + ".type",
                                            "expected a provider plug-in id, got " + describe(s.getValue()));
                                }
                                type = t;
                            } else if (s.getValue() != null) {
                                copy.put(String.valueOf(s.getKey()), s.getValue());
                            }
                        }
                        providers.put(name, new Provider(name, type, copy));
                    }
                }
                default -> throw invalid("." + key, "unknown key; expected development_mode or identity_providers");
            }
        }
        return Optional.of(new ServerConfig(development, providers));
    }

    /** Returns the provider clients name {@code name}. */
    public Optional<Provider> provider(String name) {
        return Optional.ofNullable(providers.get(name));
    }

    private static DittoException invalid(String path, String why) {
        return new DittoException(ErrorCode.INVALID_CONFIG, "experimental config '" + KEY + path + "': " + why);
    }

    private static String describe(Object v) {
        return v == null ? "null" : v instanceof String s ? "'" + s + "'" : v.getClass().getSimpleName() + " " + v;
    }
}
