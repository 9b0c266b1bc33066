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

  it("markdown starts with the marker and the summary table, lists the blocked with fixes, counts the quiet, folds details", () => {
    const plan = samplePlan();
    const md = renderPlan(plan, "markdown", PLAIN_STYLE);

    expect(
      md.startsWith(
        `${PLAN_MARKER}\n<!-- idanchor:plan-digest ${plan.writeDigest} -->\n### idanchor plan\n\n| next sync | identities |`,
      ),
    ).toBe(true);
    expect(md).toContain(
      "#### Blocked (1): fix these before applying\n\n- **dlee** -> dan@contoso.onmicrosoft.com",
    );
    expect(md).toMatch(/^ {2}- error `InvalidSoftMatch`: Next sync: .* \*\*Fix:\*\* .+$/m);
    expect(md.indexOf("#### Blocked")).toBeLessThan(md.indexOf("<details>"));
    // bjones is joined with nothing to do: counted, not listed.
    expect(md).toContain("1 of 3 identities have nothing to change and no findings");
    expect(md).not.toContain("**bjones**");
    expect(md.match(/<details>/g)).toHaveLength(1);
    expect(md.match(/<\/details>/g)).toHaveLength(1);
  });
});

describe("today's sync errors in the summary", () => {
  it("text and markdown count them; a plan without any says nothing about them", () => {
    const d = desired([identity({ sam: "asmith", smtp: "alice@contoso.com" })]);
    const failing = cloudUser("u1", {
      userPrincipalName: "alice@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice@contoso.com"],
      onPremisesProvisioningErrors: [
        {
          category: "PropertyConflict",
          errorDetail: null,
          occurredDateTime: "2026-11-30T08:00:00Z",
          propertyCausingError: "UserPrincipalName",
          value: "alice@contoso.com",
        },
      ],
    });
    const onPrem = adObject(1, { sAMAccountName: "asmith", proxyAddresses: ["SMTP:alice@contoso.com"] });
    const plan = buildPlan(d, ad(onPrem), entra({ users: [failing] }));

    const text = renderPlan(plan, "text", PLAIN_STYLE);
    const md = renderPlan(plan, "markdown", PLAIN_STYLE);

    expect(text.split("\n")[0]).toMatch(/, 1 current sync error \(failing today\)$/);
    expect(text).toContain(
      "warning CurrentSyncError: Failing today: the last sync reported PropertyConflict",
    );
    expect(md).toContain("1 current sync error (failing today).**");
    expect(renderPlan(samplePlan(), "text", PLAIN_STYLE)).not.toContain("current sync error");
  });
});
