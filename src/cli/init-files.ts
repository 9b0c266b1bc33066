/**
 * What `idanchor init` writes into a new identities repository: the Settings, an IdentityMap to
 * start from, the workflows (from templates/workflows/, pinned to this version of the Action),
 * CODEOWNERS and a short README. Pure text; the command decides where and whether to write.
 */
import { readFileSync, readdirSync } from "node:fs";

import { stringify } from "yaml";

export interface InitAnswers {
  adUrl: string;
  baseDn: string;
  syncScope: string[];
  sourceAnchor: string;
  caFile?: string;
  tenantId: string;
  clientId: string;
  cloud: string;
  verifiedDomains: string[];
  /** `uses:` value of the Action, e.g. "idanchor/idanchor@v0.1.0". */
  action: string;
  /** `runs-on:` labels of the runner that reaches the domain controller. */
  runsOn: string[];
  owners: string[];
}

const TEMPLATES = new URL("../../templates/workflows/", import.meta.url);

export function settingsYaml(answers: InitAnswers, schema: string): string {
  const settings = {
    kind: "Settings",
    activeDirectory: {
      url: answers.adUrl,
      baseDN: answers.baseDn,
      syncScope: answers.syncScope,
      sourceAnchor: answers.sourceAnchor,
      ...(answers.caFile ? { caFile: answers.caFile } : {}),
    },
    entra: {
      tenantId: answers.tenantId,
      clientId: answers.clientId,
      cloud: answers.cloud,
      ...(answers.verifiedDomains.length > 0 ? { verifiedDomains: answers.verifiedDomains } : {}),
    },
    policy: { aliases: "additive", maxChangesPerApply: 50 },
  };
  return [
    `# yaml-language-server: $schema=${schema}`,
    "# How idanchor reaches the directories (written by 'idanchor init'). Credentials come from the",
    "# environment only: IDANCHOR_AD_BIND_DN / IDANCHOR_AD_PASSWORD for LDAP, the Azure SDK's",
    "# variables (AZURE_TENANT_ID, AZURE_CLIENT_ID, the GitHub OIDC token) for Entra ID.",
    stringify(settings, { lineWidth: 0 }),
  ].join("\n");
}

export function emptyMapYaml(schema: string): string {
  return `# yaml-language-server: $schema=${schema}
# The desired mappings: on-prem AD object -> cloud object -> primary SMTP address. For example:
#
#   - ad: asmith                                   # sAMAccountName, or {dn: ...} or {guid: ...}
#     cloud: alice.smith@contoso.onmicrosoft.com   # the cloud UPN (users) or object id
#     smtp: alice.smith@contoso.com                # the primary SMTP address: the matching anchor
#     aliases: [asmith@contoso.com]
#
# 'idanchor import' proposes entries for an existing estate.
kind: IdentityMap
identities: []
`;
}

/** The workflow templates with the Action and runner filled in, by file name. */
export function workflows(answers: InitAnswers): Map<string, string> {
  const runsOn = answers.runsOn.length === 1 ? answers.runsOn[0]! : `[${answers.runsOn.join(", ")}]`;
  const out = new Map<string, string>();
  for (const name of readdirSync(TEMPLATES)
    .filter((f) => f.endsWith(".yml"))
    .sort()) {
    const text = readFileSync(new URL(name, TEMPLATES), "utf8");
    out.set(name, text.replaceAll("__ACTION__", answers.action).replaceAll("__RUNS_ON__", runsOn));
  }
  return out;
}

export function codeOwners(answers: InitAnswers): string {
  const header = [
    "# With branch protection's 'Require review from Code Owners', every change to the desired state",
    "# and to the workflows that hold the directory credentials needs a review by these owners.",
  ];
  if (answers.owners.length === 0)
    return [
      ...header,
      "# Name your identity administrators (e.g. idanchor init --owner @contoso/identity-admins):",
      "# /identities/  @contoso/identity-admins",
      "# /.github/     @contoso/identity-admins",
      "",
    ].join("\n");
  const owners = answers.owners.join(" ");
  return [...header, `/identities/  ${owners}`, `/.github/     ${owners}`, ""].join("\n");
}

export function readme(answers: InitAnswers, identities: string): string {
  return `# Identity anchors

The mappings Entra Connect must follow here (on-prem AD object -> cloud object -> primary SMTP
address) live in \`${identities}/\` and are applied by [idanchor](https://github.com/${answers.action.split("@")[0]}).

- A pull request that changes \`${identities}/\` gets a plan: what the next sync will do for every
  identity (\`.github/workflows/idanchor-plan.yml\`).
- Merging to \`main\` applies it behind the \`production\` environment (\`idanchor-apply.yml\`).
- Every six hours \`idanchor-drift.yml\` reports values changed by hand since the last apply.

Before the first run, set the secrets the workflows name (\`AZURE_TENANT_ID\`,
\`IDANCHOR_PLAN_CLIENT_ID\`, \`IDANCHOR_PLAN_AD_BIND_DN\`, \`IDANCHOR_PLAN_AD_PASSWORD\` and the
\`IDANCHOR_APPLY_*\` ones) and check the connections from the runner:

\`\`\`sh
npx idanchor doctor
npx idanchor validate
\`\`\`
`;
}
