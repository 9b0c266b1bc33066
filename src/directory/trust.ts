/** The TLS trust of every directory connection: Node's system CAs plus the PEM certificates given. */
import tls from "node:tls";

/**
 * A context trusting the system CAs and `extra` (passing `ca` alone would replace the system store,
 * so an extra CA only ever adds trust). Built once and shared by every socket of a connection plan:
 * given as `ca`, each new socket parsed the ~150 system CAs again (~30 ms).
 */
export function trustingAlso(extra: readonly string[]): tls.SecureContext {
  return tls.createSecureContext({ ca: [...tls.rootCertificates, ...extra] });
}
