/**
 * Distinguished names (pure): compared the way AD compares them: per RDN, attribute types and values
 * case-insensitively, escapes (`\,` `\3D` ...) undone, so `CN=A\,B` and `cn=a\2Cb` are one name.
 */

export class DnSyntaxError extends Error {
  override readonly name = "DnSyntaxError";
}

/** Splits on separators that are not escaped. */
function splitUnescaped(text: string, separator: string): string[] {
  // Nothing escaped (nearly every DN): every separator splits.
  if (!text.includes("\\")) return text.split(separator);
  const parts: string[] = [];
  let current = "";
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!;
    if (char === "\\") {
      if (i + 1 >= text.length) throw new DnSyntaxError(`"${text}" ends with a lone backslash`);
      current += char + text[i + 1]!;
      i++;
    } else if (char === separator) {
      parts.push(current);
      current = "";
    } else current += char;
  }
  parts.push(current);
  return parts;
}

/** Undoes RFC 4514 escapes: `\` + special character, or `\` + two hex digits (UTF-8 bytes). */
function unescapeValue(value: string): string {
  // Nothing escaped and no surrogates (which the UTF-8 round trip could change): the value as is.
  // The byte-wise path below, taken for every DN read and compared, was 9% of a 10k-object plan.
  if (!/[\\\uD800-\uDFFF]/.test(value)) return value;
  const bytes: number[] = [];
  const encoder = new TextEncoder();
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (char !== "\\") {
      const code = value.codePointAt(i)!;
      if (code > 0xffff) i++;
      bytes.push(...encoder.encode(String.fromCodePoint(code)));
      continue;
    }
    const hex = value.slice(i + 1, i + 3);
    if (/^[0-9a-fA-F]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...encoder.encode(value[i + 1] ?? ""));
      i++;
    }
  }
  return new TextDecoder().decode(new Uint8Array(bytes));
}

/** The RDNs of a DN, leaf first, each normalised to "type=value" (lower case, unescaped, trimmed). */
export function dnComponents(dn: string): string[] {
  if (dn.trim() === "") return [];
  // Nearly every DN has no escape, no multi-valued RDN and no surrogate: the same result, directly.
  if (!/[\\+\uD800-\uDFFF]/.test(dn))
    return dn.split(",").map((rdn) => {
      const eq = rdn.indexOf("=");
      if (eq <= 0) throw new DnSyntaxError(`"${rdn.trim()}" in "${dn}" is not of the form type=value`);
      return `${rdn.slice(0, eq).trim().toLowerCase()}=${JSON.stringify(
        rdn
          .slice(eq + 1)
          .trim()
          .toLowerCase(),
      )}`;
    });
  return splitUnescaped(dn, ",").map((rdn) => {
    const parts = splitUnescaped(rdn, "+").map((ava) => {
      const eq = ava.indexOf("=");
      if (eq <= 0) throw new DnSyntaxError(`"${rdn.trim()}" in "${dn}" is not of the form type=value`);
      const type = ava.slice(0, eq).trim().toLowerCase();
      const value = unescapeValue(ava.slice(eq + 1).trim()).toLowerCase();
      return `${type}=${JSON.stringify(value)}`;
    });
    return parts.sort().join("+");
  });
}

/** A key equal for two DNs exactly when AD considers them the same name. */
export function dnKey(dn: string): string {
  return keyOfComponents(dnComponents(dn));
}

/** dnKey of a DN from its dnComponents. */
export function keyOfComponents(components: readonly string[]): string {
  return components.join(",");
}

/** Whether `dn` is `base` or lies beneath it. */
export function isWithin(dn: string, base: string): boolean {
  return withinAny(dn, [base]);
}

/** Whether `dn` is one of `bases` or lies beneath one (the DN is parsed once). */
export function withinAny(dn: string, bases: readonly string[]): boolean {
  return withinAnyOf(bases)(dn);
}

/** `withinAny` for many DNs against the same bases: the bases are parsed once, not once per DN. */
export function withinAnyOf(bases: readonly string[]): (dn: string) => boolean {
  const within = componentsWithinAnyOf(bases);
  return (dn) => within(dnComponents(dn));
}

/** `withinAnyOf` for a DN already parsed by dnComponents (whose key is then `join(",")` of them). */
export function componentsWithinAnyOf(bases: readonly string[]): (inner: readonly string[]) => boolean {
  if (bases.length === 0) return () => false;
  const outers = bases.map(dnComponents);
  return (inner) =>
    outers.some((outer) => {
      if (outer.length > inner.length) return false;
      const offset = inner.length - outer.length;
      return outer.every((rdn, i) => inner[offset + i] === rdn);
    });
}

/** Escapes one RDN value, e.g. the cn of a new object: `Smith, Alice` -> `Smith\, Alice`. */
export function escapeDnValue(value: string): string {
  return value
    .replace(/[\\,+"<>;=]/g, (c) => `\\${c}`)
    .replace(/^([ #])/, "\\$1")
    .replace(/ $/, "\\ ");
}

/** A key for looking DNs up; a DN that does not parse is compared by its lower-cased text. */
export function normalizeDn(dn: string): string {
  try {
    return dnKey(dn);
  } catch (error) {
    if (error instanceof DnSyntaxError) return dn.trim().toLowerCase();
    throw error;
  }
}
