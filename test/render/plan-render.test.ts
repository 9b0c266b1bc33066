import { describe, expect, it } from "@jest/globals";

import { buildPlan } from "../../src/plan/index.js";
import type { Plan } from "../../src/plan/index.js";
import {
  ANSI_STYLE,
  PLAIN_STYLE,
  PLAN_MARKER,
  planJsonChunks,
  renderPlan,
  renderPlanJson,
} from "../../src/render/index.js";
import { planValidator } from "../support/plan-schema.js";
import { ad, adObject, anchorOf, cloudUser, desired, entra, identity } from "../plan/builders.js";

function samplePlan(): Plan {
  const d = desired([
    identity({ sam: "asmith", upn: "alice@contoso.onmicrosoft.com", smtp: "alice.smith@contoso.com" }),
    identity({ sam: "dlee", upn: "dan@contoso.onmicrosoft.com", smtp: "dan.lee@contoso.com" }),
    identity({ sam: "bjones", upn: "bob@contoso.onmicrosoft.com", smtp: "bob@contoso.com" }),
  ]);
  const a = ad(
    adObject(1, { sAMAccountName: "asmith", proxyAddresses: ["SMTP:asmith@contoso.com"] }),
    adObject(2, {
      sAMAccountName: "dlee",
      proxyAddresses: ["SMTP:dan.lee@contoso.com"],
      mail: "dan.lee@contoso.com",
    }),
    adObject(3, {
      sAMAccountName: "bjones",
      proxyAddresses: ["SMTP:bob@contoso.com"],
      mail: "bob@contoso.com",
    }),
  );
  const e = entra({
    users: [
      cloudUser("u1", {
        userPrincipalName: "alice@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:alice.smith@contoso.com"],
      }),
      cloudUser("u2", {
        userPrincipalName: "dan@contoso.onmicrosoft.com",
        proxyAddresses: ["SMTP:dan.lee@contoso.com"],
        onPremisesImmutableId: anchorOf(50),
      }),
      cloudUser("u3", {
        userPrincipalName: "bob@contoso.onmicrosoft.com",
        onPremisesImmutableId: anchorOf(3),
        onPremisesSyncEnabled: true,
      }),
    ],
  });
  return buildPlan(d, a, e);
}

describe("plan renderers", () => {
  it("JSON is the plan itself and validates against schemas/plan.schema.json", () => {
    const plan = samplePlan();
    const validate = planValidator();

    const json: unknown = JSON.parse(renderPlan(plan, "json", PLAIN_STYLE));

    expect(validate(json)).toBe(true);
    expect(json).toEqual(plan);
  });

  it("the saved plan, written in pieces, is the same JSON", () => {
    const plan = samplePlan();

    const text = [...planJsonChunks(plan)].join("");

    expect(JSON.parse(text)).toEqual(JSON.parse(renderPlanJson(plan)));
    expect(text.split("\n")).toHaveLength(plan.identities.length + 3);
  });

  it("the schema rejects a plan that breaks the contract", () => {
    const plan = samplePlan() as unknown as { identities: { outcome: string }[] };
    plan.identities[0]!.outcome = "maybe";

    expect(planValidator()(plan)).toBe(false);
  });

  it("text groups identities by outcome, blocked first, colour only when asked", () => {
    const plan = samplePlan();

    const plain = renderPlan(plan, "text", PLAIN_STYLE);
    const coloured = renderPlan(plan, "text", ANSI_STYLE);

    expect(plain).not.toContain("\u001b[");
    expect(coloured).toContain("\u001b[31merror InvalidSoftMatch");
    const order = ["Blocked", "Will join the intended", "Already joined"].map((t) => plain.indexOf(t));
    expect(order).toEqual([...order].sort((x, y) => x - y));
    expect(plain).toContain(
      "~ AD proxyAddresses of CN=asmith,OU=Staff,DC=corp,DC=contoso,DC=com: - SMTP:asmith@contoso.com  + smtp:asmith@contoso.com  + SMTP:alice.smith@contoso.com",
    );
    expect(plain).toContain("fix: Confirm the cloud object is orphaned");
  });

  it("markdown starts with the marker and the summary table, explains each error with its fix, folds details", () => {
    const plan = samplePlan();
    const md = renderPlan(plan, "markdown", PLAIN_STYLE);

    expect(
      md.startsWith(
        `${PLAN_MARKER}\n<!-- idanchor:plan-digest ${plan.writeDigest} -->\n### idanchor plan\n\n| next sync | identities |`,
      ),
    ).toBe(true);
    expect(md).toMatch(
      /^- \*\*dlee\*\* \(identities\/test\.yaml:1\) `InvalidSoftMatch`: Next sync: .* \*\*Fix:\*\* .+$/m,
    );
    expect(md.indexOf("#### Errors")).toBeLessThan(md.indexOf("<details>"));
    expect(md.match(/<details>/g)).toHaveLength(3);
    expect(md.match(/<\/details>/g)).toHaveLength(3);
  });
});
