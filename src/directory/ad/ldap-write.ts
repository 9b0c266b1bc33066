/**
 * Compare-and-set writes as one LDAP modify per object: every delete names the exact value it
 * expects, so if another writer changed it in between, AD refuses the whole modify
 * (noSuchAttribute) and nothing is overwritten.
 */
import { Attribute, Change, ResultCodeError } from "ldapts";

import { parseProxyAddress } from "../../address/proxy-address.js";
import type { AdAddressWrite, WriteOutcome } from "../../model/ports.js";
import { oneLine } from "../../model/sanitize.js";

const NO_SUCH_ATTRIBUTE = 16;
const TYPE_OR_VALUE_EXISTS = 20;
const NO_SUCH_OBJECT = 32;
const ALREADY_EXISTS = 68;

function change(operation: "add" | "delete", type: string, values: string[]): Change {
  return new Change({ operation, modification: new Attribute({ type, values }) });
}

/** The modify's changes, or a refusal when the write would remove values idanchor never touches. */
export function addressChanges(write: AdAddressWrite): { changes: Change[] } | { refused: string } {
  const changes: Change[] = [];
  const proxy = write.proxyAddresses;
  if (proxy) {
    const foreign = proxy.remove.filter((v) => parseProxyAddress(v).kind !== "smtp");
    if (foreign.length > 0)
      return {
        refused: `refusing to remove ${foreign.join(", ")}: idanchor only removes SMTP proxy addresses`,
      };
    // Delete before add, so "smtp:x" -> "SMTP:x" (same value to AD's case-insensitive match) works.
    if (proxy.remove.length > 0) changes.push(change("delete", "proxyAddresses", proxy.remove));
    if (proxy.add.length > 0) changes.push(change("add", "proxyAddresses", proxy.add));
  }
  const mail = write.mail;
  if (mail && mail.expected !== mail.next) {
    if (mail.expected) changes.push(change("delete", "mail", [mail.expected]));
    if (mail.next) changes.push(change("add", "mail", [mail.next]));
  }
  return { changes };
}

/**
 * How a refused modify ends: a conflict when the object's values are not what the plan read (a
 * delete found no such value, or an add found it there already), else a failure with AD's reason.
 * Undefined for errors that are not LDAP results (the connection): the caller throws those.
 */
export function writeOutcome(error: unknown, dn: string): WriteOutcome | undefined {
  if (!(error instanceof ResultCodeError)) return undefined;
  const reason = oneLine(error.message.replace(/ Code: 0x[0-9a-f]+$/i, ""));
  if (error.code === NO_SUCH_ATTRIBUTE || error.code === TYPE_OR_VALUE_EXISTS)
    return {
      status: "conflict",
      message:
        `${dn} changed since it was read (another writer was faster); nothing was written. ` +
        `Plan again and review. (server: ${reason})`,
    };
  if (error.code === NO_SUCH_OBJECT) return { status: "failed", message: `${dn} no longer exists` };
  return { status: "failed", message: `modify of ${dn} refused (LDAP result ${error.code}): ${reason}` };
}

/** How a refused add ends: an object already at the DN (or a unique value taken) is a conflict. */
export function addOutcome(error: unknown, dn: string): WriteOutcome | undefined {
  if (!(error instanceof ResultCodeError)) return undefined;
  const reason = oneLine(error.message.replace(/ Code: 0x[0-9a-f]+$/i, ""));
  if (error.code === ALREADY_EXISTS)
    return {
      status: "conflict",
      message: `an object already exists at ${dn}; nothing was written. Plan again.`,
    };
  return { status: "failed", message: `add of ${dn} refused (LDAP result ${error.code}): ${reason}` };
}
