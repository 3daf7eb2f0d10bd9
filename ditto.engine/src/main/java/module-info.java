module ditto.engine {
    requires ditto.api;
    requires java.net.http;                    // ditto.engine.auth: the client logs in to a server peer over HTTP(S)
    requires org.tinylog.api;
    requires org.tinylog.impl;                 // TinylogBridgeWriter implements org.tinylog.writers.Writer
    requires com.fasterxml.jackson.core;       // ditto.engine.crdt encodes with the streaming API
    requires com.fasterxml.jackson.dataformat.cbor;
    requires com.fasterxml.jackson.databind;
    requires org.bouncycastle.provider;        // ditto.engine.security: P-256 math, HKDF, deterministic ECDSA, ASN.1
    requires org.bouncycastle.pkix;            // ditto.engine.security: X.509 certificate building
    requires static org.osgi.service.component.annotations;
    exports ditto.engine.log to org.tinylog.api; // tinylog instantiates TinylogBridgeWriter reflectively

    // plug-ins on the module path; inside OSGi the DS component ditto.engine.osgi.DittoFactoryComponent is used instead
    uses ditto.api.spi.transport.TransportProvider;
    uses ditto.api.spi.storage.StorageProvider;
    uses ditto.api.spi.auth.IdentityProvider;
    provides ditto.api.DittoFactory with ditto.engine.DittoEngineFactory;
}
