import { describe, expect, it } from "@jest/globals";

import type { Proposal } from "../../src/import/index.js";
import { proposeIdentityMap } from "../../src/import/index.js";
import {
  ad,
  adObject,
  anchorOf,
  cloudContact,
  cloudGroup,
  cloudUser,
  entra,
  FORMER,
  identity,
  syncRules,
} from "../plan/builders.js";

const OPTIONS = {
  verifiedDomains: ["contoso.com", "contoso.onmicrosoft.com"],
  existing: [],
  rules: syncRules(),
};

function only(proposals: Proposal[]): Proposal {
  expect(proposals).toHaveLength(1);
  return proposals[0]!;
}

describe("proposeIdentityMap", () => {
  it("marks an object whose source anchor a cloud user carries as joined, with its own addresses", () => {
    const object = adObject(1, {
      sAMAccountName: "bjones",
      mail: "bob@contoso.com",
      proxyAddresses: ["SMTP:bob@contoso.com", "smtp:bjones@contoso.com", "SIP:bob@contoso.com"],
    });
    const cloud = cloudUser("u1", {
      userPrincipalName: "bob@contoso.com",
      onPremisesImmutableId: anchorOf(1),
      onPremisesSyncEnabled: true,
    });

    const result = proposeIdentityMap(ad(object), entra({ users: [cloud] }), OPTIONS);

    expect(only(result.proposals)).toMatchObject({
      kind: "joined",
      entry: {
        ad: "bjones",
        type: "user",
        cloud: "bob@contoso.com",
        smtp: "bob@contoso.com",
        aliases: ["bjones@contoso.com"],
      },
      notes: [],
    });
    expect(result.summary).toMatchObject({ joined: 1, proposed: 0, undecided: 0 });
  });

  it("proposes by primary SMTP with high confidence and keeps the cloud primary", () => {
    const object = adObject(2, { sAMAccountName: "asmith", proxyAddresses: ["SMTP:alice@contoso.com"] });
    const cloud = cloudUser("u2", {
      userPrincipalName: "alice.smith@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:alice.smith@contoso.com", "smtp:alice@contoso.com"],
    });

    const proposal = only(proposeIdentityMap(ad(object), entra({ users: [cloud] }), OPTIONS).proposals);

    expect(proposal).toMatchObject({
      kind: "proposed",
      candidate: {
        confidence: "high",
        evidence: [{ kind: "primary-smtp", confidence: "high" }],
        blocked: null,
      },
      entry: {
        ad: "asmith",
        cloud: "alice.smith@contoso.onmicrosoft.com",
        smtp: "alice.smith@contoso.com",
        aliases: ["alice@contoso.com"],
      },
    });
  });

  it("proposes by a secondary proxy address with medium confidence", () => {
    const object = adObject(3, { proxyAddresses: ["SMTP:cw@contoso.com", "smtp:carol@contoso.com"] });
    const cloud = cloudUser("u3", { proxyAddresses: ["SMTP:carol@contoso.com"] });

    const proposal = only(proposeIdentityMap(ad(object), entra({ users: [cloud] }), OPTIONS).proposals);

    expect(proposal).toMatchObject({
      kind: "proposed",
      candidate: { cloud: { id: "u3" }, confidence: "medium", evidence: [{ kind: "proxy-address" }] },
      entry: { smtp: "carol@contoso.com", aliases: ["cw@contoso.com"] },
    });
  });

  it("proposes by UPN with medium confidence, and by mailNickname with low confidence", () => {
    const byUpn = adObject(4, {
      sAMAccountName: "dlee",
      userPrincipalName: "dan@contoso.com",
      mail: "dlee@contoso.com",
    });
    const byNick = adObject(5, { sAMAccountName: "ewu", mail: "ewu@contoso.com", mailNickname: "eva.wu" });
    const dan = cloudUser("u4", { userPrincipalName: "dan@contoso.com", mail: "dan@contoso.com" });
    const eva = cloudUser("u5", {
      userPrincipalName: "eva.wu@contoso.onmicrosoft.com",
      mail: "eva@contoso.com",
    });

    const result = proposeIdentityMap(ad(byUpn, byNick), entra({ users: [dan, eva] }), OPTIONS);

    expect(result.proposals).toMatchObject([
      {
        kind: "proposed",
        candidate: { cloud: { id: "u4" }, confidence: "medium", evidence: [{ kind: "upn" }] },
      },
      {
        kind: "proposed",
        candidate: { cloud: { id: "u5" }, confidence: "low", evidence: [{ kind: "mail-nickname" }] },
        entry: {
          cloud: "eva.wu@contoso.onmicrosoft.com",
          smtp: "eva@contoso.com",
          aliases: ["ewu@contoso.com"],
        },
      },
    ]);
  });

  it("lists several fitting cloud objects as ambiguous, never picking one", () => {
    const object = adObject(6, { mail: "hm@contoso.com", userPrincipalName: "harry@contoso.com" });
    const byMail = cloudUser("u6", { proxyAddresses: ["SMTP:hm@contoso.com"] });
    const byUpn = cloudUser("u7", { userPrincipalName: "harry@contoso.com" });

    const proposal = only(
      proposeIdentityMap(ad(object), entra({ users: [byMail, byUpn] }), OPTIONS).proposals,
    );

    expect(proposal).toMatchObject({ kind: "undecided", reason: "ambiguous" });
    expect(proposal.kind === "undecided" && proposal.candidates.map((c) => c.cloud.id)).toEqual(["u6", "u7"]);
  });

  it("lists a cloud object wanted by two AD objects as a conflict for both", () => {
    const first = adObject(8, { proxyAddresses: ["SMTP:info@contoso.com"] });
    const second = adObject(9, { proxyAddresses: ["SMTP:desk@contoso.com", "smtp:info@contoso.com"] });
    const cloud = cloudUser("u8", { proxyAddresses: ["SMTP:info@contoso.com"] });

    const result = proposeIdentityMap(ad(first, second), entra({ users: [cloud] }), OPTIONS);

    expect(result.proposals.map((p) => [p.kind, p.kind === "undecided" ? p.reason : null])).toEqual([
      ["undecided", "conflict"],
      ["undecided", "conflict"],
    ]);
  });

  it("does not propose a cloud object the next sync would refuse, and says why", () => {
    const user = adObject(10, { mail: "x@contoso.com" });
    const group = adObject(11, { type: "group", sAMAccountName: "team", mail: "team@contoso.com" });
    const taken = cloudUser("u10", { mail: "x@contoso.com", onPremisesImmutableId: "c29tZW9uZSBlbHNl" });
    const wrongType = cloudContact("c11", { mail: "team@contoso.com" });

    const result = proposeIdentityMap(
      ad(user, group),
      entra({ users: [taken], contacts: [wrongType] }),
      OPTIONS,
    );

    expect(result.proposals).toMatchObject([
      {
        kind: "undecided",
        reason: "blocked",
        candidates: [{ blocked: expect.stringMatching(/^InvalidSoftMatch/) }],
      },
      {
        kind: "undecided",
        reason: "blocked",
        candidates: [{ blocked: expect.stringMatching(/^ObjectTypeMismatch/) }],
      },
    ]);
  });

  it("maps groups and contacts by object id, contacts by DN, and leaves out objects outside the scope", () => {
    const group = adObject(12, { type: "group", sAMAccountName: "sales", mail: "sales@contoso.com" });
    const contact = adObject(13, { type: "contact", sAMAccountName: null, mail: "support@fabrikam.com" });
    const outside = adObject(14, { mail: "old@contoso.com", dn: `CN=user14,${FORMER}` });
    const cloud = entra({
      groups: [cloudGroup("g12", { mail: "sales@contoso.com", proxyAddresses: ["SMTP:sales@contoso.com"] })],
      contacts: [cloudContact("c13", { mail: "support@fabrikam.com" })],
      users: [cloudUser("u14", { mail: "old@contoso.com" })],
    });

    const result = proposeIdentityMap(ad(group, contact, outside), cloud, OPTIONS);

    expect(result.proposals.map((p) => (p.kind === "proposed" ? p.entry : p.kind))).toEqual([
      {
        ad: "sales",
        type: "group",
        cloud: "g12",
        smtp: "sales@contoso.com",
        aliases: [],
        comment: expect.any(String),
      },
      {
        ad: { dn: contact.dn },
        type: "contact",
        cloud: "c13",
        smtp: "support@fabrikam.com",
        aliases: [],
        comment: expect.any(String),
      },
    ]);
    expect(result.summary.outOfScope).toBe(1);
  });

  it("leaves out aliases on unverified domains and addresses the desired state already uses", () => {
    const object = adObject(15, {
      sAMAccountName: "kc",
      proxyAddresses: ["SMTP:kate@contoso.com", "smtp:kate@contoso.local", "smtp:sales@contoso.com"],
    });
    const cloud = cloudUser("u15", { proxyAddresses: ["SMTP:kate@contoso.com"] });
    const existing = [
      identity({ sam: "sales-team", upn: "x@contoso.onmicrosoft.com", smtp: "sales@contoso.com" }),
    ];

    const proposal = only(
      proposeIdentityMap(ad(object), entra({ users: [cloud] }), { ...OPTIONS, existing }).proposals,
    );

    expect(proposal).toMatchObject({ kind: "proposed", entry: { smtp: "kate@contoso.com", aliases: [] } });
    expect(proposal.notes).toEqual([
      "left out alias kate@contoso.local: 'kate@contoso.local' is not on a verified domain",
      "left out alias sales@contoso.com: it belongs to 'sales-team'; decide who keeps it",
    ]);
  });
});

describe("objects Entra Connect never exports", () => {
  it("proposes no join for a linked mailbox and says why", () => {
    const linked = adObject(1, {
      sAMAccountName: "qross",
      mail: "quinn@contoso.com",
      proxyAddresses: ["SMTP:quinn@contoso.com"],
      exchange: { policiesExcluded: [], policiesIncluded: [], recipientTypeDetails: 2, targetAddress: null },
    });
    const cloud = cloudUser("u1", {
      userPrincipalName: "quinn@contoso.onmicrosoft.com",
      proxyAddresses: ["SMTP:quinn@contoso.com"],
    });

    const result = proposeIdentityMap(ad(linked), entra({ users: [cloud] }), OPTIONS);

    expect(only(result.proposals)).toMatchObject({
      kind: "undecided",
      reason: "not-exported",
      notes: [expect.stringContaining("linked mailbox")],
    });
  });
});
