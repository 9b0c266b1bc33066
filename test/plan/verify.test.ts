/** The pure verify classification: every verdict and divergence from plain data. */
import { describe, expect, it } from "@jest/globals";

import type { Receipt } from "../../src/model/receipts.js";
import { buildVerifyReport, classifyPrediction, predictionsToVerify } from "../../src/plan/verify.js";
import type { VerificationNote } from "../../src/plan/verify-types.js";
import { anchorOf, cloudUser } from "./builders.js";
import { AFTER, APPLIED, BEFORE, joined, pending, tenant, unjoined } from "./verify-builders.js";

const codes = (r: ReturnType<typeof classifyPrediction>): string =>
  [r.verdict, ...r.divergences.map((d) => d.code)].join(" ");

describe("verify: one prediction against the tenant", () => {
  it("is predicted when the planned object carries the anchor, is synced and has the planned addresses", () => {
    const result = classifyPrediction(pending(1), tenant(joined(1)), null);

    expect(codes(result)).toBe("predicted");
    expect(result.observedId).toBe("c1");
  });

  it("is pending while nothing carries the anchor or the address, and NotSynced once the tenant synced well after", () => {
    const fresh = classifyPrediction(pending(1), tenant(unjoined(1)), "2026-03-01T10:20:00Z");
    const late = classifyPrediction(pending(1), tenant(unjoined(1)), "2026-03-01T12:00:00Z");

    expect(codes(fresh)).toBe("pending");
    expect(codes(late)).toBe("diverged NotSynced");
    expect(late.divergences[0]!.message).toContain("Entra Connect is not exporting it");
  });

  it("hard match: the anchor apply wrote is not a join until the sync enables the object", () => {
    const written = cloudUser("c1", {
      proxyAddresses: ["SMTP:u1@contoso.com"],
      onPremisesImmutableId: anchorOf(1),
    });

    const result = classifyPrediction(pending(1, { via: "anchor" }), tenant(written), null);

    expect(codes(result)).toBe("pending");
  });

  it("a new cloud object with the anchor is a Duplicate; an old one is JoinedOtherObject; both name the PR and commit", () => {
    const dup = cloudUser("new", {
      onPremisesImmutableId: anchorOf(1),
      onPremisesSyncEnabled: true,
      createdDateTime: AFTER,
    });
    const old = cloudUser("old", {
      onPremisesImmutableId: anchorOf(1),
      onPremisesSyncEnabled: true,
      createdDateTime: BEFORE,
    });

    const duplicate = classifyPrediction(pending(1), tenant(unjoined(1), dup), null);
    const other = classifyPrediction(pending(1), tenant(unjoined(1), old), null);

    expect(codes(duplicate)).toBe("diverged Duplicate");
    expect(duplicate.observedId).toBe("new");
    expect(duplicate.divergences[0]!.message).toContain(
      `pull request #12 (commit ${APPLIED.commit.slice(0, 12)})`,
    );
    expect(codes(other)).toBe("diverged JoinedOtherObject");
  });

  it("a new synced object holding the planned primary is a Duplicate even without an anchor (groups, contacts)", () => {
    const dup = cloudUser("new", {
      proxyAddresses: ["SMTP:u1@contoso.com"],
      onPremisesSyncEnabled: true,
      createdDateTime: AFTER,
    });
    const planned = cloudUser("c1", { proxyAddresses: [], createdDateTime: BEFORE });

    const result = classifyPrediction(pending(1, { sourceAnchor: null }), tenant(planned, dup), null);

    expect(codes(result)).toBe("diverged Duplicate");
  });

  it("a provisioning error on the joined object diverges, naming the quarantined value; a resolved service error does not", () => {
    const quarantined = {
      ...joined(1),
      onPremisesProvisioningErrors: [
        {
          category: "PropertyConflict",
          errorDetail: null,
          occurredDateTime: AFTER,
          propertyCausingError: "ProxyAddresses",
          value: "smtp:alias@contoso.com",
        },
      ],
      serviceProvisioningErrors: [
        { createdDateTime: AFTER, isResolved: true, serviceInstance: "exchange/x", errorDetail: "old" },
      ],
    };

    const result = classifyPrediction(
      pending(1, { smtpAddresses: ["u1@contoso.com", "alias@contoso.com"] }),
      tenant(quarantined),
      null,
    );

    expect(codes(result)).toBe("diverged ProvisioningError");
    expect(result.divergences[0]).toMatchObject({
      entraError: "AttributeValueMustBeUnique",
      quarantined: "smtp:alias@contoso.com",
      objectId: "c1",
    });
  });

  it("an unresolved serviceProvisioningErrors entry (Exchange Online) diverges", () => {
    const failing = {
      ...joined(1),
      serviceProvisioningErrors: [
        {
          createdDateTime: AFTER,
          isResolved: false,
          serviceInstance: "exchange/namprd01-001-01",
          errorDetail: "<ServiceInstance>...</ServiceInstance>",
        },
      ],
    };

    expect(codes(classifyPrediction(pending(1), tenant(failing), null))).toBe(
      "diverged ServiceProvisioningError",
    );
  });

  it("joined with other addresses than planned is AddressMismatch; on a joined object not synced since the apply it is pending", () => {
    const other = { ...joined(1), proxyAddresses: ["SMTP:someone.else@contoso.com"] };
    const stale = { ...other, onPremisesLastSyncDateTime: BEFORE };

    const mismatch = classifyPrediction(
      pending(1, { outcome: "joined", via: "anchor" }),
      tenant(other),
      null,
    );
    const waiting = classifyPrediction(pending(1, { outcome: "joined", via: "anchor" }), tenant(stale), null);

    expect(codes(mismatch)).toBe("diverged AddressMismatch");
    expect(codes(waiting)).toBe("pending");
  });

  it("the planned cloud object deleted is CloudObjectGone", () => {
    expect(codes(classifyPrediction(pending(1), tenant(), null))).toBe("diverged CloudObjectGone");
  });

  it("a planned creation is predicted once a cloud object carries the anchor", () => {
    const created = cloudUser("fresh", {
      proxyAddresses: ["SMTP:u1@contoso.com"],
      onPremisesImmutableId: anchorOf(1),
      onPremisesSyncEnabled: true,
      createdDateTime: AFTER,
    });

    const result = classifyPrediction(
      pending(1, { outcome: "will-create", via: null, cloudId: null, cloudName: null }),
      tenant(created),
      null,
    );

    expect(codes(result)).toBe("predicted");
  });
});

describe("verify: which predictions to check", () => {
  const receipt = (finishedAt: string, keys: number[], commit = APPLIED.commit): Receipt => ({
    version: 1,
    startedAt: finishedAt,
    finishedAt,
    commit,
    objects: [],
    summary: { applied: keys.length, conflict: 0, skipped: 0, failed: 0 },
    predictions: keys.map((n) => pending(n).prediction),
  });
  const first = { receipt: receipt("2026-03-01T10:00:00Z", [1, 2]), noteCommit: APPLIED.commit, pr: 12 };
  const second = {
    receipt: receipt("2026-03-02T10:00:00Z", [2], "b".repeat(40)),
    noteCommit: "b".repeat(40),
    pr: 13,
  };

  it("takes the newest receipt per identity and leaves out what was verified as predicted", () => {
    const report = buildVerifyReport(
      predictionsToVerify([first, second], [], { kind: "unverified" }),
      tenant(joined(1), joined(2)),
      null,
    );
    const note: VerificationNote = {
      kind: "verification",
      version: 1,
      verifiedAt: "2026-03-03T00:00:00Z",
      tenantLastSync: null,
      results: report.results,
    };

    const again = predictionsToVerify([first, second], [note], { kind: "unverified" });
    const since = predictionsToVerify([first, second], [note], {
      kind: "date",
      ms: Date.parse("2026-03-02T00:00:00Z"),
    });
    const sinceRef = predictionsToVerify([first, second], [note], {
      kind: "commits",
      commits: new Set(["b".repeat(40)]),
    });

    expect(report.results.map((r) => `${r.key} ${r.receipt.pr}`)).toEqual(["u1 12", "u2 13"]);
    expect(report.summary).toEqual({ identities: 2, predicted: 2, pending: 0, diverged: 0 });
    expect(again).toEqual([]);
    expect(since.map((p) => p.prediction.key)).toEqual(["u2"]);
    expect(sinceRef.map((p) => p.prediction.key)).toEqual(["u2"]);
  });

  it("checks a pending or diverged identity again", () => {
    const report = buildVerifyReport(
      predictionsToVerify([first], [], { kind: "unverified" }),
      tenant(joined(1), unjoined(2)),
      null,
    );
    const note: VerificationNote = {
      kind: "verification",
      version: 1,
      verifiedAt: "2026-03-03T00:00:00Z",
      tenantLastSync: null,
      results: report.results,
    };

    expect(predictionsToVerify([first], [note], { kind: "unverified" }).map((p) => p.prediction.key)).toEqual(
      ["u2"],
    );
  });
});
