/**
 * Merging applies exactly the plan the reviewers approved, against a real Samba AD DC and the Graph
 * test server: (a) nothing moved -> applied exactly; (b) an address added on a cloud object between
 * review and merge -> that identity is not written, the rest is; (c) the desired entry changed on
 * main after review -> refused with the reason; and no reviewed plan -> nothing written, exit 1.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { parseReceiptNote } from "../../src/apply/git-note.js";
import type { Receipt } from "../../src/model/receipts.js";
import type { Plan } from "../../src/plan/types.js";
import { startGithubServer } from "../support/github-server.js";
import type { GithubServer } from "../support/github-server.js";
import { writeZip } from "../support/zip-writer.js";
import { runCli } from "../support/cli.js";
import { cloudId, startFixture } from "./reviewed-plan-fixture.js";
import type { Fixture } from "./reviewed-plan-fixture.js";

let f: Fixture;
let github: GithubServer;
let githubEnv: Record<string, string>;
/** The head commit of pull request #pr. */
const headSha = (pr: number): string => String(pr).padStart(40, "a");

beforeAll(async () => {
  f = await startFixture();
  github = await startGithubServer();
  githubEnv = {
    GITHUB_API_URL: github.url,
    GITHUB_REPOSITORY: "contoso/identities",
    GITHUB_TOKEN: github.token,
    IDANCHOR_TEST_ONLY_ALLOW_HTTP: "1",
    GITHUB_SHA: f.git("rev-parse", "HEAD").trim(),
  };
}, 120_000);

afterAll(async () => {
  await github?.close();
  await f?.close();
});

/** The plan check of pull request #pr: its run on the head commit and the plan artifact it kept. */
function reviewOnGithub(pr: number, plan: string | null): void {
  const merge = githubEnv.GITHUB_SHA!;
  const HEAD_SHA = headSha(pr);
  github.pulls.push({
    number: pr,
    headSha: HEAD_SHA,
    mergeCommitSha: merge,
    mergedAt: "2026-12-01T10:00:00Z",
    commits: [HEAD_SHA, merge],
  });
  github.runs.push(
    {
      id: 500 + pr,
      workflow: "plan.yml",
      headSha: HEAD_SHA,
      status: "completed",
      conclusion: "success",
      createdAt: "2026-12-01T09:00:00Z",
    },
    // A later failed run on the same head: never the reviewed one.
    {
      id: 600 + pr,
      workflow: "plan.yml",
      headSha: HEAD_SHA,
      status: "completed",
      conclusion: "failure",
      createdAt: "2026-12-01T09:30:00Z",
    },
  );
  if (plan !== null)
    github.artifacts.push({
      id: 700 + pr,
      runId: 500 + pr,
      name: `idanchor-plan-pr${pr}`,
      expired: false,
      zip: writeZip({ "idanchor-plan.json": plan }),
    });
}

const fetchPlan = (out: string): ReturnType<Fixture["cli"]> =>
  runCli(["github", "fetch-plan", "--out", out], { cwd: f.repo.dir, env: { ...f.env, ...githubEnv } });

const cloudUser = (sam: string): { proxyAddresses: string[]; onPremisesImmutableId?: string | null } =>
  f.graph.data.users?.find((u) => (u as { id: string }).id === cloudId(sam)) as {
    proxyAddresses: string[];
    onPremisesImmutableId?: string | null;
  };

async function adLines(sam: string): Promise<string[]> {
  const out = await f.dc.ldapsearch(["-b", f.dc.baseDN, `(sAMAccountName=${sam})`, "mail", "proxyAddresses"]);
  return out
    .split("\n")
    .filter((line) => /^(mail|proxyAddresses):/.test(line))
    .sort();
}

describe("apply of a reviewed plan", () => {
  it("no reviewed plan: nothing written, exit 1, and it says how to proceed", async () => {
    const before = await f.written();

    const run = await f.cli("apply", "--identities", "accept");

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no reviewed plan, so nothing was written/);
    expect(run.stderr).toMatch(/idanchor github fetch-plan/);
    expect(run.stderr).toMatch(/--plan-and-apply/);
    expect(await f.written()).toBe(before);
  });

  it("(d) the merged pull request has no plan artifact: fetch-plan writes nothing, exit 1, and says how to proceed", async () => {
    github.pulls.splice(0);
    const direct = await fetchPlan("none.json");
    reviewOnGithub(11, null);
    const before = await f.written();

    const missing = await fetchPlan("none.json");

    expect(direct.code).toBe(1);
    expect(direct.stderr).toMatch(
      /no merged pull request has [0-9a-f]{40} as its merge commit \(pushed straight to main\?\): nothing will be applied\. Open a pull request/,
    );
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /pull request #11: run .*actions\/runs\/511 has no artifact 'idanchor-plan-pr11'.*plan-and-apply: true/,
    );
    expect(existsSync(path.join(f.repo.dir, "none.json"))).toBe(false);
    expect(await f.written()).toBe(before);
    github.pulls.splice(0);
  });

  it("(a) nothing moved since the review: the reviewed plan, fetched from the merged PR's plan run, is applied exactly and recorded as reviewed", async () => {
    const review = await f.cli("plan", "--identities", "accept", "--out", "accept-review.json");
    reviewOnGithub(12, readFileSync(path.join(f.repo.dir, "accept-review.json"), "utf8"));
    const fetched = await fetchPlan("accept-plan.json");
    const reviewed = f.readJson("accept-plan.json") as Plan;

    const run = await f.cli(
      "apply",
      "accept-plan.json",
      "--identities",
      "accept",
      "--pull-request",
      "12",
      "--receipt",
      "accept-receipt.json",
      "--report",
      "accept-report.md",
    );

    expect(review.code).toBe(2);
    expect(fetched.stderr).toBe("");
    expect(fetched.code).toBe(0);
    expect(fetched.stdout).toMatch(/reviewed plan of pull request #12 .*actions\/runs\/512/);
    expect(readFileSync(path.join(f.repo.dir, "accept-plan.json"), "utf8")).toBe(
      readFileSync(path.join(f.repo.dir, "accept-review.json"), "utf8"),
    );
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    const receipt = JSON.parse(readFileSync(path.join(f.repo.dir, "accept-receipt.json"), "utf8")) as Receipt;
    const planned = reviewed.identities.flatMap((i) =>
      [...new Set(i.changes.map((c) => `${c.target}:${c.target === "ad" ? c.dn : c.objectId}`))].map(
        (o) => `${i.key} ${o}`,
      ),
    );
    expect(receipt.objects.map((o) => `${o.key} ${o.target}:${o.object} ${o.result}`).sort()).toEqual(
      planned.map((p) => `${p} applied`).sort(),
    );
    expect(receipt.review).toEqual({ reviewed: true, pullRequest: 12, planDigest: reviewed.writeDigest });
    for (const identity of reviewed.identities) {
      const ad = identity.read.ad!;
      const next = identity.changes.find((c) => c.attribute === "proxyAddresses")!;
      expect(await adLines(identity.key)).toEqual(
        [...ad.proxyAddresses.filter((v) => !next.remove.includes(v)), ...next.add]
          .map((v) => `proxyAddresses: ${v}`)
          .concat(`mail: ${identity.key}.cloud@idanchor.test`)
          .sort(),
      );
    }
    const anchor = reviewed.identities
      .find((i) => i.key === "ah")!
      .changes.find((c) => c.target === "entra")!;
    expect(cloudUser("ah").onPremisesImmutableId).toBe(anchor.add[0]);
    expect(readFileSync(path.join(f.repo.dir, "accept-report.md"), "utf8")).toMatch(
      /nothing is pending that was not reviewed/,
    );
    const note = parseReceiptNote(f.git("notes", "--ref=idanchor", "show", "HEAD"));
    expect(note.at(-1)?.review).toEqual({
      reviewed: true,
      pullRequest: 12,
      planDigest: reviewed.writeDigest,
    });
  }, 60_000);

  it("(b) an address added in the cloud after review and (c) an entry changed on main: those identities are refused, the rest is written", async () => {
    const review = await f.cli("plan", "--identities", "merge", "--out", "merge-plan.json");
    // Another admin adds x1's address to the spare cloud user in Exchange Online ...
    cloudUser("spare").proxyAddresses.push("smtp:x1.cloud@idanchor.test");
    // ... and a second pull request changes x2's entry on main.
    const file = path.join(f.repo.dir, "merge", "identities.yaml");
    const yaml = readFileSync(file, "utf8");
    writeFileSync(
      file,
      yaml.replace(
        "smtp: x2.cloud@idanchor.test}",
        "smtp: x2.cloud@idanchor.test, aliases: [x2.new@idanchor.test]}",
      ),
    );
    const x1 = await adLines("x1");
    const x2 = await adLines("x2");

    const run = await f.cli(
      "apply",
      "merge-plan.json",
      "--identities",
      "merge",
      "--report",
      "merge-report.md",
    );

    expect(review.code).toBe(2);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /x1 \(merge\/identities\.yaml:3\): not written: a fresh plan has blocking findings \(AttributeValueMustBeUnique\)|x1 \(merge\/identities\.yaml:3\): not written: what the next sync would do changed since the review/,
    );
    expect(run.stderr).toMatch(
      /x2 \(merge\/identities\.yaml:4\): not written: its desired entry changed since the plan was made; plan again and have the new plan reviewed/,
    );
    expect(await adLines("x1")).toEqual(x1);
    expect(await adLines("x2")).toEqual(x2);
    expect(await adLines("x3")).toContain("proxyAddresses: SMTP:x3.cloud@idanchor.test");
    expect(run.stdout).toMatch(/1 applied/);
  }, 60_000);

  it("pending changes nobody reviewed are reported and fail the job, without being written", async () => {
    const review = await f.cli("plan", "--identities", "accept", "--out", "empty-plan.json");
    // A change merged without its own review: a new alias for a1.
    const file = path.join(f.repo.dir, "accept", "identities.yaml");
    const yaml = readFileSync(file, "utf8");
    writeFileSync(
      file,
      yaml.replace(
        "smtp: a1.cloud@idanchor.test}",
        "smtp: a1.cloud@idanchor.test, aliases: [a1.late@idanchor.test]}",
      ),
    );
    const before = await f.written();

    const run = await f.cli(
      "apply",
      "empty-plan.json",
      "--identities",
      "accept",
      "--report",
      "late-report.md",
    );
    writeFileSync(file, yaml);

    expect(review.code).toBe(0);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(
      /a1 \(accept\/identities\.yaml:3\): pending and not reviewed \(the reviewed plan had nothing to write for it\), so not written: .*smtp:a1\.late@idanchor\.test/,
    );
    expect(readFileSync(path.join(f.repo.dir, "late-report.md"), "utf8")).toMatch(
      /\| `a1` .*smtp:a1\.late@idanchor\.test/,
    );
    expect(await f.written()).toBe(before);
  }, 60_000);

  it("--plan-and-apply plans and applies in one go, and the receipt says it was not reviewed", async () => {
    const run = await f.cli(
      "apply",
      "--plan-and-apply",
      "--identities",
      "merge",
      "--receipt",
      "emergency.json",
    );

    const receipt = JSON.parse(readFileSync(path.join(f.repo.dir, "emergency.json"), "utf8")) as Receipt;
    expect(receipt.review).toEqual({ reviewed: false, reason: expect.stringMatching(/not reviewed/) });
    expect(receipt.objects.filter((o) => o.result === "applied").map((o) => o.key)).toContain("x2");
    expect(await adLines("x2")).toContain("proxyAddresses: smtp:x2.new@idanchor.test");
    expect(run.stdout).toMatch(/x1/);
  }, 60_000);

  it("audit marks each applied change reviewed (with PR and plan digest) or unreviewed", async () => {
    const accepted = f.readJson("accept-plan.json") as Plan;

    const run = await f.cli("audit", "--identities", ".", "--format", "json");

    expect(run.code).toBe(0);
    const records = (JSON.parse(run.stdout) as { records: { key: string; applied: unknown }[] }).records;
    const review = (key: string): unknown => records.find((r) => r.key === key)?.applied;
    expect(review("a2")).toMatchObject({
      status: "applied",
      review: { reviewed: true, pullRequest: 12, planDigest: accepted.writeDigest },
    });
    expect(review("x3")).toMatchObject({ status: "applied", review: { reviewed: true, pullRequest: null } });
    expect(review("x2")).toMatchObject({ status: "applied", review: { reviewed: false } });
    const text = await f.cli("audit", "x2", "--identities", ".");
    expect(text.stdout).toMatch(/applied .*, unreviewed/);
  }, 60_000);
});
