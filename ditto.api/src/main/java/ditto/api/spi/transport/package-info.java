/**
 * The transport plug-in contract.
 *
 * <p>A transport moves whole frames between this peer and remote peers and reports peers it
 * discovers or loses. It knows nothing of documents, queries or encryption: the engine runs
 * TLS and the replication protocol over the frames. A transport bundle registers one
 * {@link ditto.api.spi.transport.TransportProvider}; the engine asks it for a transport per
 * open Ditto instance.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package ditto.api.spi.transport;
