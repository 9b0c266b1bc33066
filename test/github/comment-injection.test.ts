/**
 * Markup in user-controlled text must stay text in the PR comment: a newline in a key must not
 * start a heading, @team must not notify, <img> must not render, a backtick must not end its code
 * span, a pipe must not end a table cell. Checked on the comment body the GitHub stand-in receives.
 */
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";

import { main } from "../../src/cli/main.js";
import { SETTINGS_YAML, tempDir } from "../support/files.js";
import { startGithubServer } from "../support/github-server.js";
import type { GithubServer } from "../support/github-server.js";
import { actionsEnv, capture, finding, planIdentity, planOf, writePlan } from "./fixtures.js";

const PR = 7;
/** The headings the renderers write themselves; any other heading line was injected. */
const HEADINGS =
  /^#{3,4} (idanchor plan|Errors|Warnings|Warnings, by code|For the whole plan|Blocked \(\d+\): fix these before applying)$/;
const INJECTED_KEY = "asmith\n## Approved by @contoso/platform-security\n<img src=x onerror=alert(1)>";

let server: GithubServer;
let dir: string;
let removeDir: () => void;

beforeEach(async () => {
  server = await startGithubServer();
  server.addIssue({ number: PR, title: "Add identities", isPullRequest: true });
  ({ dir, remove: removeDir } = tempDir());
});

afterEach(async () => {
  await server.close();
  removeDir();
});

/** Markup that would render: headings we did not write, mentions, issue links, raw HTML, odd code fences. */
function expectInert(body: string): void {
  const lines = body.split("\n");
  expect(lines.filter((l) => /^\s{0,3}#/.test(l) && !HEADINGS.test(l.trim()))).toEqual([]);
  expect(body).not.toMatch(/(^|[^\w&])@contoso/);
  expect(body).not.toMatch(/<img|<a |<script/i);
  expect(body).not.toMatch(/(^|[^\\])\](\(https?:)/);
  expect(body).not.toMatch(/(^|[^&\w])#12\b/);
  expect(body).not.toMatch(/https?:\/\/evil/);
  for (const line of lines) {
    // Every backtick run closes a code span of the same length on the same line.
    const runs = (line.replace(/\\`/g, "").match(/`+/g) ?? []).map((r) => r.length);
    const counts = new Map<number, number>();
    for (const r of runs) counts.set(r, (counts.get(r) ?? 0) + 1);
    for (const [, n] of counts) expect([line, n % 2]).toEqual([line, 0]);
  }
  for (const row of lines.filter((l) => l.startsWith("|"))) {
    // Table rows keep their column count: no unescaped pipe inside a cell.
    const cells = row.replace(/\\\|/g, "").split("|").length;
    expect([row, cells]).toEqual([
      row,
      lines
        .find((l) => l.startsWith("|"))!
        .replace(/\\\|/g, "")
        .split("|").length,
    ]);
  }
}

describe("PR comment: user-controlled text cannot inject markup", () => {
  it("plan comment: keys with newlines and mentions, file names with backticks, messages with HTML and links", async () => {
    const hostile = finding("InvalidSoftMatch");
    hostile.message =
      "See <img src=x onerror=alert(1)> [click](https://evil.example) #12 | @contoso/platform-security";
    const plan = planOf([
      planIdentity(1, {
        key: INJECTED_KEY,
        source: { file: "identities/st`aff.yaml", line: 8, column: 5 },
        outcome: "blocked",
        findings: [hostile],
      }),
    ]);
    const planFile = writePlan(dir, plan);
    const run = capture(actionsEnv(server, dir, { pull_request: { number: PR } }), dir);

    const code = await main(["github", "comment", "--plan-file", planFile, "--pr", String(PR)], run.ctx);

    const body = server.commentsOn(PR)[0]!.body;
    expect(code).toBe(0);
    expect(body).toContain("asmith");
    expect(body).toContain("Approved by");
    expect(body).toContain("st\\`aff.yaml");
    expectInert(body);
  });

  it("validation-only (fork) comment: an unknown key with HTML, links and mentions, and a newline in ad:", async () => {
    const ids = tempDir({
      "identities/settings.yaml": SETTINGS_YAML,
      "identities/staff.yaml": [
        "kind: IdentityMap",
        "identities:",
        '  - ad: "asmith\\n## Approved by @contoso/platform-security"',
        "    cloud: asmith@contoso.onmicrosoft.com",
        "    smtp: asmith@contoso.com",
        '    "<img src=x onerror=alert(1)> [click](https://evil.example) @contoso/platform-security #12 |": 1',
        "",
      ].join("\n"),
    });
    const env = actionsEnv(
      server,
      dir,
      { pull_request: { number: PR } },
      { GITHUB_EVENT_NAME: "pull_request_target" },
    );
    const run = capture(env, ids.dir);

    const code = await main(
      ["github", "comment", "--identities", "identities", "--fork-notice", "--pr", String(PR)],
      run.ctx,
    );
    ids.remove();

    const body = server.commentsOn(PR)[0]!.body;
    expect(code).toBe(0);
    expect(body).toContain("**Validation only.**");
    expect(body).toContain("img src");
    expectInert(body);
  });
});

describe("validate: control characters and markup in keys and sAMAccountNames", () => {
  const cases: [string, string, string][] = [
    ['"asmith\\n## Approved by @contoso/platform-security"', "ControlCharacterInName", "U+000A"],
    ['"asmith\\e[2Jx"', "ControlCharacterInName", "U+001B"],
    ['"<img src=x onerror=alert(1)>"', "InvalidSamAccountName", "'<'"],
    ['"alice@contoso"', "InvalidSamAccountName", "'@'"],
    ['"a|b"', "InvalidSamAccountName", "'|'"],
    ['{dn: "CN=A\\u0007,OU=Staff,DC=corp,DC=contoso,DC=com"}', "ControlCharacterInName", "U+0007"],
  ];

  it.each(cases)("ad: %s is refused with %s, at its line", async (ad, code, what) => {
    const ids = tempDir({
      "identities/settings.yaml": SETTINGS_YAML,
      "identities/staff.yaml": `kind: IdentityMap\nidentities:\n  - ad: ${ad}\n    cloud: a@contoso.onmicrosoft.com\n    smtp: a@contoso.com\n`,
    });
    const run = capture({}, ids.dir);

    const exit = await main(["validate", "--identities", "identities", "--format", "text"], run.ctx);
    ids.remove();

    expect(exit).toBe(1);
    expect(run.stdout()).toMatch(
      new RegExp(`identities/staff\\.yaml:3:\\d+: error ${code}: .*${what.replace(/[+()|]/g, "\\$&")}`),
    );
    // eslint-disable-next-line no-control-regex
    expect(run.stdout() + run.stderr()).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it("an ordinary sAMAccountName is still valid", async () => {
    const ids = tempDir({
      "identities/settings.yaml": SETTINGS_YAML,
      "identities/staff.yaml":
        "kind: IdentityMap\nidentities:\n  - ad: a.smith-2$\n    cloud: a@contoso.onmicrosoft.com\n    smtp: a@contoso.com\n",
    });
    const run = capture({}, ids.dir);

    const exit = await main(["validate", "--identities", "identities", "--format", "text"], run.ctx);
    ids.remove();

    expect(run.stdout()).toContain("valid");
    expect(exit).toBe(0);
  });
});
