/** Builders for verify tests: a receipt prediction and the tenant the sync left behind. */
import type { ReceiptPrediction } from "../../src/model/receipts.js";
import type { EntraState } from "../../src/model/directory.js";
import type { PendingPrediction } from "../../src/plan/verify-types.js";
import { anchorOf, cloudUser, entra } from "./builders.js";

export const APPLIED = {
  commit: "c0ffee".padEnd(40, "0"),
  startedAt: "2026-03-01T10:00:00.000Z",
  finishedAt: "2026-03-01T10:00:05.000Z",
  pr: 12,
};
export const BEFORE = "2026-01-01T00:00:00Z";
export const AFTER = "2026-03-01T10:30:00Z";

/** n's on-prem object, applied to join cloud user `c<n>` by its primary n@contoso.com. */
export function pending(n: number, fields: Partial<ReceiptPrediction> = {}): PendingPrediction {
  return {
    prediction: {
      key: `u${n}`,
      type: "user",
      dn: `CN=u${n},OU=Staff,DC=corp,DC=contoso,DC=com`,
      sourceAnchor: anchorOf(n),
      outcome: "will-join",
      via: "smtp",
      cloudId: `c${n}`,
      cloudName: `c${n}@contoso.onmicrosoft.com`,
      primarySmtp: `u${n}@contoso.com`,
      smtpAddresses: [`u${n}@contoso.com`],
      ...fields,
    },
    receipt: APPLIED,
  };
}

/** Cloud user c<n> before the sync: carries the planned primary, not joined. */
export function unjoined(n: number) {
  return cloudUser(`c${n}`, { proxyAddresses: [`SMTP:u${n}@contoso.com`], createdDateTime: BEFORE });
}

/** Cloud user c<n> after the sync joined it to u<n>. */
export function joined(n: number) {
  return cloudUser(`c${n}`, {
    proxyAddresses: [`SMTP:u${n}@contoso.com`],
    onPremisesImmutableId: anchorOf(n),
    onPremisesSyncEnabled: true,
    onPremisesLastSyncDateTime: AFTER,
    createdDateTime: BEFORE,
  });
}

export function tenant(...users: ReturnType<typeof cloudUser>[]): EntraState {
  return entra({ users });
}
