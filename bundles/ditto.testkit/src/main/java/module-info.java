module ditto.testkit {
    requires transitive ditto.api;
    requires transitive org.junit.jupiter.api;

    exports ditto.testkit.storage;
    exports ditto.testkit.transport;
    exports ditto.testkit.auth;
    exports ditto.testkit.sim;
}
