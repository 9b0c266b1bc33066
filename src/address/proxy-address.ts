/**
 * proxyAddresses values are "TYPE:value". "SMTP:" (upper case) marks the one primary address,
 * "smtp:" the secondary ones; every other type (X500:, SIP:, EUM: ...) belongs to someone else
 * and must survive every write.
 */

export type ProxyAddress =
  | { kind: "smtp"; primary: boolean; address: string; raw: string }
  | { kind: "other"; type: string; raw: string };

const PREFIXED = /^([A-Za-z0-9]+):(.*)$/s;

export function parseProxyAddress(raw: string): ProxyAddress {
  const match = PREFIXED.exec(raw);
  if (!match) return { kind: "other", type: "", raw };
  const type = match[1] ?? "";
  const value = match[2] ?? "";
  if (type.toUpperCase() === "SMTP") return { kind: "smtp", primary: type === "SMTP", address: value, raw };
  return { kind: "other", type, raw };
}

export function formatSmtp(address: string, primary: boolean): string {
  return `${primary ? "SMTP" : "smtp"}:${address}`;
}

/** The primary SMTP address of a proxyAddresses list, if it has one. */
export function primarySmtp(values: readonly string[]): string | undefined {
  for (const raw of values) {
    const parsed = parseProxyAddress(raw);
    if (parsed.kind === "smtp" && parsed.primary) return parsed.address;
  }
  return undefined;
}
