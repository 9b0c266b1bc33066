/**
 * proxyAddresses values are "TYPE:value". "SMTP:" (upper case) marks the one primary address,
 * "smtp:" the secondary ones; every other type (X500:, SIP:, EUM: ...) belongs to someone else
 * and must survive every write.
 */

export type ProxyAddress =
  | { kind: "smtp"; primary: boolean; address: string; raw: string }
  | { kind: "other"; type: string; raw: string };

const PREFIXED = /^([A-Za-z0-9]+):(.*)$/s;

/** Whether `raw` starts with "smtp:" in any case (the type nearly every value has). */
function smtpPrefixed(raw: string): boolean {
  return (
    raw.length >= 5 &&
    raw.charCodeAt(4) === 0x3a &&
    (raw.charCodeAt(0) | 0x20) === 0x73 &&
    (raw.charCodeAt(1) | 0x20) === 0x6d &&
    (raw.charCodeAt(2) | 0x20) === 0x74 &&
    (raw.charCodeAt(3) | 0x20) === 0x70
  );
}

export function parseProxyAddress(raw: string): ProxyAddress {
  // What the pattern gives an SMTP value, without matching it (every object's every address).
  if (smtpPrefixed(raw)) return { kind: "smtp", primary: raw.startsWith("SMTP"), address: raw.slice(5), raw };
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
