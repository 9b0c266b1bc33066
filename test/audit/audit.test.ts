import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import type { AuditRecord, AuditReport } from "../../src/model/audit.js";
import { runCli } from "../support/cli.js";
import { parseCsv } from "./csv.js";
import type { HistoryRepo } from "./history-repo.js";
import { ALICE, BOB, addReceipt, buildHistoryRepo } from "./history-repo.js";

let repo: HistoryRepo;

beforeAll(async () => {
  repo = buildHistoryRepo();
  await addReceipt(repo, repo.commits.rename);
});

afterAll(() => repo.remove());

function expectedRecords(r: HistoryRepo): AuditRecord[] {
  const { add, primary, branch, fixed, rename } = r.commits;
  const at = (commit: string, who: typeof ALICE, date: string, subject: string, pr: number | null) => ({
    commit,
    author: who.name,
    email: who.email,
    date,
    subject,
    pr,
  });
  const c1 = at(add, ALICE, "2024-01-10T10:00:00+00:00", "Add staff and shared identities", null);
  const c2 = at(primary, BOB, "2024-02-01T10:00:00+00:00", "Alice: primary address alice.smith (#7)", 7);
  const c5 = at(
    branch,
    BOB,
    "2024-05-01T10:00:00+00:00",
    "Retire the sales group; Bob moves to his cloud UPN",
    12,
  );
  const c7 = at(fixed, ALICE, "2024-06-02T10:00:00+00:00", 'Fix staff.yaml, drop the "old" alias', null);
  const applied = {
    status: "applied" as const,
    at: r.receiptFinishedAt,
    commit: rename,
    review: r.receiptReview,
  };
  const pending = { status: "pending" as const, at: null, commit: null };
  return [
    {
      ...c1,
      key: "sales-team",
      type: "group",
      field: "identity-added",
      old: null,
      new: "sales@contoso.com -> 7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
      file: "identities/shared.yaml",
      applied: { status: "superseded", at: null, commit: null },
    },
    {
      ...c1,
      key: "asmith",
      type: "user",
      field: "identity-added",
      old: null,
      new: "asmith@contoso.com -> alice.smith@contoso.onmicrosoft.com",
      file: "identities/staff.yaml",
      applied,
    },
    {
      ...c1,
      key: "bjones",
      type: "user",
      field: "identity-added",
      old: null,
      new: "bob.jones@contoso.com -> bob.jones@contoso.com",
      file: "identities/staff.yaml",
      applied: pending,
    },
    {
      ...c2,
      key: "asmith",
      type: "user",
      field: "primary-smtp",
      old: "asmith@contoso.com",
      new: "alice.smith@contoso.com",
      file: "identities/staff.yaml",
      applied,
    },
    {
      ...c2,
      key: "asmith",
      type: "user",
      field: "alias-added",
      old: null,
      new: "asmith@contoso.com",
      file: "identities/staff.yaml",
      applied,
    },
    {
      ...c5,
      key: "bjones",
      type: "user",
      field: "cloud",
      old: "bob.jones@contoso.com",
      new: "bob.jones@contoso.onmicrosoft.com",
      file: "identities/team.yaml",
      applied: pending,
    },
    {
      ...c5,
      key: "sales-team",
      type: "group",
      field: "identity-removed",
      old: "sales@contoso.com -> 7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d",
      new: null,
      file: "identities/team.yaml",
      applied: { status: "not-applicable", at: null, commit: null },
    },
    {
      ...c7,
      key: "asmith",
      type: "user",
      field: "alias-removed",
      old: "asmith@contoso.com",
      new: null,
      file: "identities/staff.yaml",
      applied: pending,
    },
  ];
}

async function auditJson(args: string[]): Promise<AuditReport> {
  const run = await runCli(["audit", ...args, "--format", "json"], { cwd: repo.dir });
  expect(run).toMatchObject({ code: 0, stderr: "" });
  return JSON.parse(run.stdout) as AuditReport;
}

describe("idanchor audit on a real repository", () => {
  it("lists exactly the anchor changes, following moves and renames by identity key (json)", async () => {
    const expected = expectedRecords(repo);

    const report = await auditJson([]);

    expect(report.records).toEqual(expected);
    expect(report.filter).toEqual({ target: null, since: null, until: null });
  });

  it("reports the broken YAML at an old commit as a warning and carries on", async () => {
    const report = await auditJson([]);

    expect(report.warnings).toEqual([
      {
        commit: repo.commits.broken,
        date: "2024-06-01T10:00:00+00:00",
        file: "identities/staff.yaml",
        message: expect.stringMatching(/^line \d+: /) as unknown as string,
      },
    ]);
  });

  it("writes the same records as CSV with a header row and RFC 4180 quoting", async () => {
    const expected = expectedRecords(repo);

    const run = await runCli(["audit", "--format", "csv"], { cwd: repo.dir });

    expect(run.code).toBe(0);
    expect(run.stdout.endsWith("\r\n")).toBe(true);
    const [header, ...rows] = parseCsv(run.stdout);
    expect(header).toEqual([
      "date",
      "identity",
      "type",
      "field",
      "old",
      "new",
      "commit",
      "author",
      "email",
      "pr",
      "subject",
      "file",
      "applied",
      "applied_at",
      "applied_commit",
      "verified",
      "verified_at",
      "divergences",
      "reviewed",
      "reviewed_pr",
      "plan_digest",
    ]);
    const changeRows = expected.map((r) => [
      r.date,
      r.key,
      r.type,
      r.field,
      r.old ?? "",
      r.new ?? "",
      r.commit,
      r.author,
      r.email,
      r.pr === null ? "" : String(r.pr),
      r.subject,
      r.file,
      r.applied.status,
      r.applied.at ?? "",
      r.applied.commit ?? "",
      // No verify has run in this history.
      "",
      "",
      "",
      r.applied.status === "applied" ? "reviewed" : "",
      r.applied.status === "applied" ? String(repo.receiptReview.pullRequest) : "",
      r.applied.status === "applied" ? repo.receiptReview.planDigest : "",
    ]);
    const warningRow = [
      "2024-06-01T10:00:00+00:00",
      "",
      "",
      "warning",
      "",
      expect.stringMatching(/^line \d+: /),
      repo.commits.broken,
      "",
      "",
      "",
      "",
      "identities/staff.yaml",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
      "",
    ];
    expect(rows).toEqual([...changeRows, warningRow]);
  });

  it("shows every record in the text and markdown formats", async () => {
    const expected = expectedRecords(repo);

    const text = await runCli(["audit", "--format", "text"], { cwd: repo.dir });
    const markdown = await runCli(["audit", "--format", "markdown"], { cwd: repo.dir });

    expect(text.stdout).toMatch(/^idanchor audit: 8 anchor changes in 4 commits, 1 warnings\n/);
    expect(markdown.stdout).toMatch(/^### idanchor audit: 8 anchor changes in 4 commits, 1 warnings\n/);
    const textLines = text.stdout.split("\n");
    const mdRows = markdown.stdout.split("\n").filter((l) => l.startsWith("| 20"));
    expect(mdRows).toHaveLength(expected.length);
    expected.forEach((record, i) => {
      const value =
        record.old !== null && record.new !== null
          ? `${record.old} -> ${record.new}`
          : (record.new ?? record.old);
      expect(textLines.some((l) => l.startsWith(`  ${record.key}  `) && l.includes(value!))).toBe(true);
      expect(mdRows[i]).toContain(`\`${record.key}\``);
      expect(mdRows[i]).toContain(record.commit.slice(0, 12));
      expect(mdRows[i]).toContain(record.author);
    });
    expect(text.stdout).toContain("PR #12");
    expect(text.stdout).toContain("PR #7");
    expect(markdown.stdout).toContain("#### Warnings");
  });

  it("narrows to one person by a current address: `audit alice.smith@contoso.com` shows only hers", async () => {
    const hers = expectedRecords(repo).filter((r) => r.key === "asmith");

    const report = await auditJson(["alice.smith@contoso.com"]);

    expect(report.records).toEqual(hers);
    expect(report.filter.target).toBe("alice.smith@contoso.com");
  });

  it("finds an identity by a past alias (any case) and by its key", async () => {
    const hers = expectedRecords(repo).filter((r) => r.key === "asmith");
    const his = expectedRecords(repo).filter((r) => r.key === "bjones");

    const byPastAlias = await auditJson(["ASmith@Contoso.com"]);
    const byKey = await auditJson(["BJONES"]);

    expect(byPastAlias.records).toEqual(hers);
    expect(byKey.records).toEqual(his);
  });

  it("filters by --since and --until (a bare --until date includes that day)", async () => {
    const window = expectedRecords(repo).filter((r) => r.date >= "2024-02-01" && r.date < "2024-05-02");

    const report = await auditJson(["--since", "2024-02-01", "--until", "2024-05-01"]);

    expect(report.records).toEqual(window);
    expect(report.warnings).toEqual([]);
  });

  it("reads the same history when the identities folder is the repository root", async () => {
    const expected = expectedRecords(repo);

    const report = await auditJson(["--identities", "."]);

    expect(report.records).toEqual(expected);
  });

  it("refuses a --since that is not a date", async () => {
    const run = await runCli(["audit", "--since", "last tuesday"], { cwd: repo.dir });

    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--since 'last tuesday' is not a date");
  });

  it("says so outside a git repository", async () => {
    const { tempDir } = await import("../support/files.js");
    const outside = tempDir({ "identities/settings.yaml": "kind: Settings\n" });

    const run = await runCli(["audit"], { cwd: outside.dir });

    outside.remove();
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("not a git repository");
  });
});
