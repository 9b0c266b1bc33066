/**
 * Text from outside (a server's error, a directory's diagnostic) on its way to a terminal, a log or
 * a pull request: secrets removed in every form a server might echo them, and control characters
 * (ANSI escapes, carriage returns, bells) removed so that a hostile server cannot rewrite the screen.
 */

const REDACTED = "[redacted]";

/** CSI/OSC escape sequences first (so their parameters go too), then any other C0/C1 control but tab and newline. */
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u009b[0-?]*[ -/]*[@-~]/g;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Removes ANSI escapes and control characters (keeps tab and newline). */
export function stripControl(text: string): string {
  return text.replace(ANSI, "").replace(CONTROL, "");
}

/** One line: also newlines and tabs become spaces. */
export function oneLine(text: string): string {
  return stripControl(text).replace(/\s+/g, " ").trim();
}

/**
 * The part of base64(prefix + secret + suffix) that does not depend on prefix or suffix, for each of
 * the three byte alignments: a secret inside "x-access-token:SECRET" (Basic auth) still matches.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const total = offset + bytes.length;
    // Characters before `start` mix in the prefix; after `end` they mix in what follows.
    const start = Math.ceil((offset * 4) / 3);
    const end = 4 * Math.floor(total / 3) + (total % 3);
    const core = encoded.slice(start, end);
    if (core.length >= 8) cores.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return cores;
}

/** The forms in which a secret can come back: as is, URL- or form-encoded, JSON-escaped, base64. */
export function secretForms(secret: string): string[] {
  const url = encodeURIComponent(secret);
  const strict = url.replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  const forms = new Set([
    secret,
    url,
    strict,
    url.replace(/%20/g, "+"),
    url.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    strict.replace(/%[0-9A-F]{2}/g, (e) => e.toLowerCase()),
    JSON.stringify(secret).slice(1, -1),
    ...base64Cores(secret),
  ]);
  return [...forms].filter((f) => f.length >= 4).sort((a, b) => b.length - a.length);
}

/** Removes every form of the given secrets, then anything shaped like a JWT or a bearer/basic token. */
export function scrubSecrets(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of secretForms(secret)) result = result.split(form).join(REDACTED);
  }
  return result
    .replace(/eyJ[\w-]+\.[\w-]+\.[\w-]*/g, REDACTED)
    .replace(/\b(gh[pousr]_|github_pat_)[A-Za-z0-9_]{16,}/g, REDACTED)
    .replace(/\b(bearer\s+)(?!\[redacted\])[^\s"',]+/gi, `$1${REDACTED}`)
    .replace(/\b((?:basic|token)\s+)(?!\[redacted\])[A-Za-z0-9+/=_.~-]{16,}/gi, `$1${REDACTED}`);
}

/** What every server-provided string goes through before it is shown: secrets out, controls out. */
export function sanitizeServerText(text: string, secrets: readonly string[] = []): string {
  return scrubSecrets(stripControl(text), secrets);
}
