/**
 * Link security: the instance's persistent peer identity and TLS 1.3 over every transport link.
 *
 * <pre>
 *  PeerIdentity.open(persistenceDir)        key pair in auth/peer-key.pem, peerKeyString()
 *        │
 *  LinkSecurity.create(identity, sharedKey) SSLContext: own certificate (self-signed, or issued by
 *        │                                  the CA derived from the shared key) + trust rules
 *        │
 *  TransportListener.onLinkOpened(link) ─▶ security.secure(link, listener) ─▶ SecureChannel
 *        (returned to the transport as the link's LinkHandler: TLS bytes in)
 *        │
 *        ├─ listener.onEstablished(channel) ─▶ handler for plaintext frames; channel.send(plain)
 *        └─ listener.onFailed(channel, error)   AUTHENTICATION / PROTOCOL / TIMEOUT / TRANSPORT
 * </pre>
 *
 * TLS records travel as link frames (cut to the link's frame size); inside TLS, each side first
 * sends a 5-byte confirmation, then each application frame as a 4-byte big-endian length and its
 * bytes. The wire format, the shared-key derivation and the trust rules are specified in
 * {@code docs/security.md}. Everything here is engine-internal (this package is not exported).
 */
package ditto.engine.security;
