/**
 * The contract suite every network transport passes, and recording helpers for transport tests.
 *
 * <p>A transport's test class extends {@link ditto.testkit.transport.TransportContract} and says
 * how to make one transport listen and another connect over loopback; the suite then checks the
 * whole {@link ditto.api.spi.transport.Transport} and {@link ditto.api.spi.transport.Link}
 * contract. {@link ditto.testkit.transport.RecordingTransportListener} and
 * {@link ditto.testkit.transport.RecordedLink} stand in for the engine: they accept every link,
 * record frames and closes, and flag violations of the handler contract.
 * Test support only: never deployed.
 */
package ditto.testkit.transport;
