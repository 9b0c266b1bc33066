/**
 * Addresses the plan writes to one object that another object already holds without its entry
 * declaring them (a demoted old primary, an alias nobody listed). The writer's identity gets
 * AttributeValueMustBeUnique from the uniqueness check; this says it on the holder too, because
 * the next sync quarantines the value on either of the two: a change to one entry affects another.
 */
import { addressKey } from "../address/smtp.js";
import { append } from "../model/arrays.js";
import type { AdObject } from "../model/directory.js";
import { describeAd } from "./live-index.js";
import { addressesOf } from "./live-index.js";
import type { PlanFinding } from "./types.js";

export interface Writer {
  object: AdObject;
  key: string;
}

/** Address key -> the objects the plan writes it to (where they do not hold it already). */
export function plannedWriters(
  planned: readonly { ad: AdObject | undefined; gained: readonly string[]; key: string }[],
): Map<string, Writer[]> {
  const writers = new Map<string, Writer[]>();
  for (const { ad, gained, key } of planned) {
    if (!ad) continue;
    for (const address of gained) append(writers, address, { object: ad, key });
  }
  return writers;
}

export function writtenClashes(
  ad: AdObject,
  after: { proxyAddresses: string[]; mail: string | null },
  declared: readonly string[],
  writers: ReadonlyMap<string, Writer[]>,
  quarantine: boolean,
): PlanFinding[] {
  const out: PlanFinding[] = [];
  // Asked for every identity planned: nothing is built until an address has a writer (nearly never).
  let own: Set<string> | null = null;
  const addresses = addressesOf(after.proxyAddresses, after.mail);
  for (let i = 0; i < addresses.length; i++) {
    const address = addresses[i]!;
    const writing = writers.get(addressKey(address));
    if (writing === undefined || addresses.indexOf(address) !== i) continue; // none, or said already
    own ??= new Set(declared.map(addressKey));
    if (own.has(addressKey(address))) continue;
    for (const writer of writing) {
      if (writer.object.dn === ad.dn) continue;
      out.push({
        severity: "error",
        code: "AttributeValueMustBeUnique",
        message: `Next sync: '${address}', which this object holds although its entry does not list it, is written to ${describeAd(writer.object)} by the plan for '${writer.key}'; ${quarantine ? "duplicate attribute resiliency quarantines the value on one of the two objects" : "the export of one of the two fails with AttributeValueMustBeUnique"}.`,
        fix: `Remove '${address}' from this object (Set-ADUser -Remove @{proxyAddresses='smtp:${address}'}), or give '${writer.key}' another address in the YAML.`,
      });
    }
  }
  return out;
}
