/**
 * Verify: for each identity apply wrote, compare what the reviewed plan predicted the sync would do
 * with what Entra now holds. Pure: receipts, earlier verdicts and the Entra state in, results out.
 */
import { parseProxyAddress, primarySmtp } from "../address/proxy-address.js";
import type { ReceiptPrediction } from "../model/receipts.js";
import type { EntraState, ProvisioningError, ServiceProvisioningError } from "../model/directory.js";
import type {
  Divergence,
  PendingPrediction,
  ReceiptRef,
  VerifyReport,
  VerifyResult,
} from "./verify-types.js";
import { VERIFY_VERSION } from "./verify-types.js";

export { predictionsToVerify } from "./verify-select.js";

/**
 * Entra Connect runs a delta sync every 30 minutes: when the tenant last synced more than this long
 * after the apply and the object is still untouched, the sync is not going to pick it up by itself.
 */
export const SYNC_GRACE_MS = 60 * 60 * 1000;

interface Cloud {
  kind: "user" | "group" | "contact";
  id: string;
  name: string;
  proxyAddresses: string[];
  mail: string | null;
  immutableId: string | null;
  syncEnabled: boolean | null;
  lastSync: string | null;
  created: string | null;
  errors: ProvisioningError[];
  serviceErrors: ServiceProvisioningError[];
}

function cloudObjects(entra: EntraState): Cloud[] {
  const none = { immutableId: null, lastSync: null, created: null, errors: [], serviceErrors: [] };
  return [
    ...entra.users.map((u) => ({
      kind: "user" as const,
      id: u.id,
      name: u.userPrincipalName,
      proxyAddresses: u.proxyAddresses,
      mail: u.mail,
      immutableId: u.onPremisesImmutableId,
      syncEnabled: u.onPremisesSyncEnabled,
      lastSync: u.onPremisesLastSyncDateTime,
      created: u.createdDateTime,
      errors: u.onPremisesProvisioningErrors,
      serviceErrors: u.serviceProvisioningErrors,
    })),
    ...entra.groups.map((g) => ({
      ...none,
      kind: "group" as const,
      id: g.id,
      name: g.mail ?? g.displayName ?? g.id,
      proxyAddresses: g.proxyAddresses,
      mail: g.mail,
      syncEnabled: g.onPremisesSyncEnabled,
    })),
    ...entra.contacts.map((c) => ({
      ...none,
      kind: "contact" as const,
      id: c.id,
      name: c.mail ?? c.displayName ?? c.id,
      proxyAddresses: c.proxyAddresses,
      mail: c.mail,
      syncEnabled: c.onPremisesSyncEnabled,
    })),
  ];
}

const lower = (s: string): string => s.toLowerCase();

function addressesOf(c: Cloud): Set<string> {
  const out = new Set<string>();
  for (const raw of c.proxyAddresses) {
    const p = parseProxyAddress(raw);
    if (p.kind === "smtp") out.add(lower(p.address));
  }
  if (c.mail) out.add(lower(c.mail));
  return out;
}

const cloudPrimary = (c: Cloud): string | null => primarySmtp(c.proxyAddresses) ?? c.mail;
const ms = (iso: string | null): number => (iso === null ? NaN : Date.parse(iso));
const isNewSince = (c: Cloud, since: string): boolean => ms(c.created) >= ms(since);

function changeRef(r: ReceiptRef): string {
  const commit = r.commit ? `commit ${r.commit.slice(0, 12)}` : "an apply without a commit";
  return r.pr !== null ? `pull request #${r.pr} (${commit})` : commit;
}

const RESYNC =
  "then run a delta sync on the Entra Connect server (Start-ADSyncSyncCycle -PolicyType Delta) and `idanchor verify` again";

function errorDivergences(c: Cloud, p: ReceiptPrediction): Divergence[] {
  const out: Divergence[] = [];
  for (const e of c.errors) {
    const property = e.propertyCausingError ?? "a property";
    const present =
      e.value !== null && (addressesOf(c).has(lower(e.value.replace(/^smtp:/i, ""))) || c.name === e.value);
    const quarantined = e.value !== null && !present ? e.value : null;
    const planned =
      e.value !== null && p.smtpAddresses.some((a) => lower(a) === lower(e.value!.replace(/^smtp:/i, "")));
    out.push({
      code: "ProvisioningError",
      entraError:
        e.category === "PropertyConflict" || e.category === null ? "AttributeValueMustBeUnique" : e.category,
      objectId: c.id,
      quarantined,
      message:
        `Entra Connect's last export of '${c.name}' reported ${e.category ?? "an error"} on ${property}` +
        (e.value !== null ? ` for '${e.value}'` : "") +
        (quarantined
          ? ": the value is already held by another object, so it was quarantined (left off this object)"
          : "") +
        (e.occurredDateTime ? ` at ${e.occurredDateTime}` : "") +
        (planned ? "; it is a value the plan wrote" : "") +
        ". Every sync reports it again until the conflict is gone.",
      fix:
        `find the other holder of '${e.value ?? property}' (Get-MgUser -Filter "proxyAddresses/any(p:p eq 'smtp:...')" or the Entra Connect Health "Sync errors" blade), ` +
        `remove the value from one of the two, ${RESYNC}`,
    });
  }
  for (const e of c.serviceErrors) {
    if (e.isResolved === true) continue;
    out.push({
      code: "ServiceProvisioningError",
      entraError: null,
      objectId: c.id,
      quarantined: null,
      message:
        `${e.serviceInstance ?? "A cloud service"} could not provision '${c.name}'` +
        (e.createdDateTime ? ` (since ${e.createdDateTime})` : "") +
        (e.errorDetail ? `: ${e.errorDetail.slice(0, 300)}` : "") +
        "; the object synced, but the service (usually Exchange Online) keeps it unprovisioned.",
      fix: `read the error (GET /users/${c.id}?$select=serviceProvisioningErrors), fix the on-prem value it names, ${RESYNC}`,
    });
  }
  return out;
}

function addressDivergences(c: Cloud, p: ReceiptPrediction, quarantined: ReadonlySet<string>): Divergence[] {
  const have = addressesOf(c);
  const primary = cloudPrimary(c);
  const out: Divergence[] = [];
  const missing = p.smtpAddresses.filter((a) => !have.has(lower(a)) && !quarantined.has(lower(a)));
  const wrongPrimary =
    p.primarySmtp !== null && (primary === null || lower(primary) !== lower(p.primarySmtp));
  if (wrongPrimary || missing.length > 0)
    out.push({
      code: "AddressMismatch",
      entraError: null,
      objectId: c.id,
      quarantined: null,
      message:
        `'${c.name}' is joined as planned, but ` +
        (wrongPrimary
          ? `its primary SMTP address is '${primary ?? "(none)"}', not the planned '${p.primarySmtp}'`
          : "") +
        (wrongPrimary && missing.length > 0 ? ", and " : "") +
        (missing.length > 0 ? `it lacks ${missing.map((a) => `'${a}'`).join(", ")}` : "") +
        ": the sync wrote other values than the plan predicted (values on unverified domains are dropped; an email address policy may have rewritten the on-prem primary).",
      fix: `compare the on-prem proxyAddresses (Get-ADUser -Properties proxyAddresses) with the plan, run \`idanchor drift\`, ${RESYNC}`,
    });
  return out;
}

function result(
  item: PendingPrediction,
  verdict: VerifyResult["verdict"],
  observed: Cloud | undefined,
  message: string,
  divergences: Divergence[] = [],
): VerifyResult {
  const { prediction: p, receipt } = item;
  return {
    key: p.key,
    type: p.type,
    verdict: divergences.length > 0 ? "diverged" : verdict,
    dn: p.dn,
    plannedId: p.cloudId,
    plannedName: p.cloudName,
    observedId: observed?.id ?? null,
    observedName: observed?.name ?? null,
    receipt,
    message,
    divergences,
  };
}

function notSynced(
  item: PendingPrediction,
  tenantLastSync: string | null,
  planned: Cloud | undefined,
): VerifyResult {
  const applied = item.receipt.finishedAt;
  const late = tenantLastSync !== null && ms(tenantLastSync) - ms(applied) > SYNC_GRACE_MS;
  if (!late)
    return result(
      item,
      "pending",
      undefined,
      `not synced yet: no cloud object carries this object's anchor or planned address since the apply at ${applied}` +
        (tenantLastSync ? ` (the tenant last synced at ${tenantLastSync})` : ""),
    );
  return result(item, "diverged", undefined, "the sync ran but did not process this object", [
    {
      code: "NotSynced",
      entraError: null,
      objectId: planned?.id ?? null,
      quarantined: null,
      message: `The tenant last synced at ${tenantLastSync}, more than an hour after the apply at ${applied}, and no cloud object was joined or created for ${item.prediction.dn ?? item.prediction.key}: Entra Connect is not exporting it (outside the OUs it synchronises, filtered, or its export failed on the Connect server).`,
      fix: "check the object in the Synchronization Service Manager (Connector Space search, 'Preview') and the export errors of the last run, then run a delta sync (Start-ADSyncSyncCycle -PolicyType Delta) and `idanchor verify` again",
    },
  ]);
}

/** Compares one prediction with the Entra state. */
export function classifyPrediction(
  item: PendingPrediction,
  entra: EntraState,
  tenantLastSync: string | null,
): VerifyResult {
  const p = item.prediction;
  const clouds = cloudObjects(entra);
  const planned = p.cloudId === null ? undefined : clouds.find((c) => c.id === p.cloudId);
  const primary = p.primarySmtp === null ? null : lower(p.primarySmtp);
  const ref = changeRef(item.receipt);
  const { startedAt, finishedAt } = item.receipt;

  if (p.cloudId !== null && !planned)
    return result(item, "diverged", undefined, "the planned cloud object is gone", [
      {
        code: "CloudObjectGone",
        entraError: null,
        objectId: p.cloudId,
        quarantined: null,
        message: `The cloud object ${p.cloudName ?? p.cloudId} that ${ref} planned to join no longer exists in the tenant; the next sync will create a new one instead.`,
        fix: `restore it from the recycle bin within 30 days (Restore-MgDirectoryDeletedItem -DirectoryObjectId ${p.cloudId}), ${RESYNC}`,
      },
    ]);

  // Users join by anchor; groups and contacts (no immutableId in Graph) count as joined once synced.
  const byAnchor =
    p.sourceAnchor === null
      ? []
      : clouds.filter((c) => c.kind === "user" && c.immutableId === p.sourceAnchor);
  const joinedPlanned =
    planned !== undefined &&
    planned.syncEnabled === true &&
    (planned.kind !== "user" || p.sourceAnchor === null || planned.immutableId === p.sourceAnchor);
  const other = byAnchor.find((c) => c.id !== p.cloudId);

  if (other && p.cloudId !== null) {
    const isNew = isNewSince(other, startedAt);
    return result(item, "diverged", other, isNew ? "a duplicate was created" : "joined another object", [
      {
        code: isNew ? "Duplicate" : "JoinedOtherObject",
        entraError: null,
        objectId: other.id,
        quarantined: null,
        message: isNew
          ? `The sync created a new cloud ${other.kind} '${other.name}' (${other.id}, created ${other.created}) with this object's anchor instead of joining '${p.cloudName ?? p.cloudId}' as ${ref} predicted: the duplicate the plan was meant to prevent.`
          : `This object's anchor now stands on '${other.name}' (${other.id}), not on '${p.cloudName ?? p.cloudId}' as ${ref} predicted: the sync joined the wrong cloud object, and a join cannot simply be undone.`,
        fix: isNew
          ? `move what the duplicate holds (licences, mailbox) and delete it (Remove-MgUser -UserId ${other.id}, then Remove-MgDirectoryDeletedItem), set the anchor on the intended object (PATCH /users/${p.cloudId} {"onPremisesImmutableId": "${p.sourceAnchor ?? ""}"}) or fix what blocked the soft match, ${RESYNC}`
          : `reopen the review of ${ref}; to move the anchor, exclude the on-prem object from the sync scope, let the sync soft-delete the joined object, clear its onPremisesImmutableId, ${RESYNC}`,
      },
      ...errorDivergences(other, p),
    ]);
  }

  const joined = joinedPlanned ? planned : p.cloudId === null ? byAnchor[0] : undefined;
  if (joined) {
    const errors = errorDivergences(joined, p);
    const quarantined = new Set(
      errors.flatMap((e) => (e.quarantined ? [lower(e.quarantined.replace(/^smtp:/i, ""))] : [])),
    );
    const divergences = [...errors, ...addressDivergences(joined, p, quarantined)];
    if (divergences.length === 0)
      return result(
        item,
        "predicted",
        joined,
        `${p.cloudId === null ? "created" : "joined"} '${joined.name}' as planned`,
      );
    // A stale error or old values on an object the sync has not touched since the apply: wait for it.
    const fresh = joined.lastSync === null || ms(joined.lastSync) >= ms(finishedAt) || p.outcome !== "joined";
    if (!fresh)
      return result(
        item,
        "pending",
        joined,
        `not synced yet: '${joined.name}' last synced at ${joined.lastSync}, before the apply at ${finishedAt}`,
      );
    return result(item, "diverged", joined, "joined, but not as planned", divergences);
  }

  // Not joined: a new synced object holding the planned primary is the duplicate (groups, contacts, and users without an anchor read).
  const duplicate =
    primary === null
      ? undefined
      : clouds.find(
          (c) =>
            c.id !== p.cloudId &&
            c.syncEnabled === true &&
            isNewSince(c, startedAt) &&
            addressesOf(c).has(primary),
        );
  if (duplicate && p.cloudId !== null)
    return result(item, "diverged", duplicate, "a duplicate was created", [
      {
        code: "Duplicate",
        entraError: null,
        objectId: duplicate.id,
        quarantined: null,
        message: `The sync created a new cloud ${duplicate.kind} '${duplicate.name}' (${duplicate.id}) with the planned address '${p.primarySmtp}' instead of joining '${p.cloudName ?? p.cloudId}' as ${ref} predicted.`,
        fix: `delete the duplicate (Remove-MgUser -UserId ${duplicate.id} or Remove-MgGroup / Remove-MgContact) once nothing depends on it, fix what kept the sync from matching '${p.cloudName ?? p.cloudId}', ${RESYNC}`,
      },
      ...errorDivergences(duplicate, p),
    ]);
  return notSynced(item, tenantLastSync, planned);
}

export function buildVerifyReport(
  items: readonly PendingPrediction[],
  entra: EntraState,
  tenantLastSync: string | null,
): VerifyReport {
  const results = items.map((item) => classifyPrediction(item, entra, tenantLastSync));
  const count = (v: VerifyResult["verdict"]): number => results.filter((r) => r.verdict === v).length;
  return {
    version: VERIFY_VERSION,
    tenantLastSync,
    results,
    summary: {
      identities: results.length,
      predicted: count("predicted"),
      pending: count("pending"),
      diverged: count("diverged"),
    },
  };
}

/** The report when there is nothing to verify (no Entra read is needed for it). */
export function emptyVerifyReport(): VerifyReport {
  return {
    version: VERIFY_VERSION,
    tenantLastSync: null,
    results: [],
    summary: { identities: 0, predicted: 0, pending: 0, diverged: 0 },
  };
}
