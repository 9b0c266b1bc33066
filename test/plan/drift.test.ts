import { describe, expect, it } from "@jest/globals";

import type { Receipt } from "../../src/model/receipts.js";
import { buildPlan } from "../../src/plan/index.js";
import { findDrift } from "../../src/plan/drift.js";
import { ad, adObject, cloudUser, desired, entra, identity } from "./builders.js";

function receipt(dn: string, after: { proxyAddresses: string[]; mail: string | null }, at: string): Receipt {
  return {
    version: 1,
    startedAt: at,
    finishedAt: at,
    commit: "abc123",
    objects: [
      { key: "asmith", target: "ad", object: dn, before: null, after, result: "applied", error: null },
    ],
    summary: { applied: 1, conflict: 0, skipped: 0, failed: 0 },
  };
}

describe("findDrift", () => {
  const d = desired([identity({ smtp: "alice@contoso.com" })]);
  const cloud = entra({
    users: [
      cloudUser("u1", {
        userPrincipalName: "alice@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:alice@contoso.com"],
      }),
    ],
  });
  const written = {
    proxyAddresses: ["SMTP:alice@contoso.com", "smtp:asmith@contoso.com"],
    mail: "alice@contoso.com",
  };

  it("reports a value edited by hand after idanchor wrote it, from the latest receipt", () => {
    const edited = adObject(1, {
      sAMAccountName: "asmith",
      proxyAddresses: ["SMTP:asmith@contoso.com", "smtp:alice@contoso.com"],
      mail: "alice@contoso.com",
    });
    const plan = buildPlan(d, ad(edited), cloud);
    const older = receipt(
      edited.dn,
      { proxyAddresses: ["SMTP:x@contoso.com"], mail: null },
      "2026-11-01T00:00:00Z",
    );

    const drift = findDrift(plan, [older, receipt(edited.dn, written, "2026-11-02T00:00:00Z")]);

    expect(drift).toEqual([
      {
        key: "asmith",
        target: "ad",
        object: edited.dn,
        written,
        live: { proxyAddresses: edited.proxyAddresses, mail: "alice@contoso.com" },
        writtenAt: "2026-11-02T00:00:00Z",
        commit: "abc123",
      },
    ]);
  });

  it("is silent when live values are what was written, in any order, and for changes never applied", () => {
    const same = adObject(1, {
      sAMAccountName: "asmith",
      proxyAddresses: ["smtp:asmith@contoso.com", "SMTP:alice@contoso.com"],
      mail: "alice@contoso.com",
    });
    const plan = buildPlan(d, ad(same), cloud);

    expect(findDrift(plan, [receipt(same.dn, written, "2026-11-02T00:00:00Z")])).toEqual([]);
    expect(findDrift(plan, [])).toEqual([]);
  });
});
