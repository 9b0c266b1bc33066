/** A real git repository with a known history of identities/, built for the audit tests. */
import { execFileSync } from "node:child_process";
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

import { attachReceiptNote } from "../../src/apply/git-note.js";
import type { Receipt } from "../../src/model/receipts.js";
import { SETTINGS_YAML, tempDir } from "../support/files.js";

export interface Person {
  name: string;
  email: string;
}

export const ALICE: Person = { name: "Alice Admin", email: "alice.admin@contoso.com" };
export const BOB: Person = { name: "Bob Builder", email: "bob.builder@contoso.com" };
export const CAROL: Person = { name: "Carol Checker", email: "carol.checker@contoso.com" };

export interface HistoryRepo {
  dir: string;
  remove: () => void;
  /** Commit hashes by step name. */
  commits: Record<"add" | "primary" | "move" | "rename" | "branch" | "merge" | "broken" | "fixed", string>;
  receiptFinishedAt: string;
  /** What the receipt says about the review of the plan it applied. */
  receiptReview: { reviewed: true; pullRequest: number; planDigest: string };
}

const STAFF_V1 = `kind: IdentityMap
identities:
  - ad: asmith
    cloud: alice.smith@contoso.onmicrosoft.com
    smtp: asmith@contoso.com
  - ad: bjones
    cloud: bob.jones@contoso.com
    smtp: bob.jones@contoso.com
    aliases: [bjones@contoso.com]
`;

const STAFF_V2 = `kind: IdentityMap
identities:
  - ad: asmith
    cloud: alice.smith@contoso.onmicrosoft.com
    smtp: alice.smith@contoso.com
    aliases: [asmith@contoso.com]
  - ad: bjones
    cloud: bob.jones@contoso.com
    smtp: bob.jones@contoso.com
    aliases: [bjones@contoso.com]
`;

const STAFF_V3 = `kind: IdentityMap
identities:
  - ad: asmith
    cloud: alice.smith@contoso.onmicrosoft.com
    smtp: alice.smith@contoso.com
    aliases: [asmith@contoso.com]
`;

const SHARED_V1 = `kind: IdentityMap
identities:
  - ad: sales-team
    type: group
    cloud: 7a6b5c4d-3e2f-4a1b-8c9d-0e1f2a3b4c5d
    smtp: sales@contoso.com
`;

const SHARED_V2 = `${SHARED_V1}  - ad: bjones
    cloud: bob.jones@contoso.com
    smtp: bob.jones@contoso.com
    aliases: [bjones@contoso.com]
`;

const TEAM_V3 = `kind: IdentityMap
identities:
  - ad: bjones
    cloud: bob.jones@contoso.onmicrosoft.com
    smtp: bob.jones@contoso.com
    aliases: [bjones@contoso.com]
`;

const STAFF_BROKEN = `kind: IdentityMap
identities:
  - ad: asmith
    cloud: [alice.smith@contoso.onmicrosoft.com
    smtp: alice.smith@contoso.com
`;

const STAFF_V4 = `kind: IdentityMap
identities:
  - ad: asmith
    cloud: alice.smith@contoso.onmicrosoft.com
    smtp: alice.smith@contoso.com
`;

export function buildHistoryRepo(): HistoryRepo {
  const { dir, remove } = tempDir();
  const git = (args: string[], who: Person = ALICE, date = "2024-01-01T10:00:00Z"): string =>
    execFileSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: who.name,
        GIT_AUTHOR_EMAIL: who.email,
        GIT_AUTHOR_DATE: date,
        GIT_COMMITTER_NAME: who.name,
        GIT_COMMITTER_EMAIL: who.email,
        GIT_COMMITTER_DATE: date,
      },
    }).trim();
  const write = (file: string, text: string): void => {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  };
  const commit = (message: string, who: Person, date: string): string => {
    git(["add", "-A", "."], who, date);
    git(["commit", "-q", "-m", message], who, date);
    return git(["rev-parse", "HEAD"]);
  };

  git(["init", "-q", "-b", "main"]);
  git(["config", "user.name", "Receipt Writer"]);
  git(["config", "user.email", "receipts@contoso.com"]);
  git(["config", "commit.gpgsign", "false"]);
  write("README.md", "desired state\n");
  write("identities/settings.yaml", SETTINGS_YAML);
  write("identities/staff.yaml", STAFF_V1);
  write("identities/shared.yaml", SHARED_V1);
  const add = commit("Add staff and shared identities", ALICE, "2024-01-10T10:00:00Z");

  write("identities/staff.yaml", STAFF_V2);
  const primary = commit("Alice: primary address alice.smith (#7)", BOB, "2024-02-01T10:00:00Z");

  write("identities/staff.yaml", STAFF_V3);
  write("identities/shared.yaml", SHARED_V2);
  const move = commit("Move Bob to the shared file", CAROL, "2024-03-01T10:00:00Z");

  renameSync(path.join(dir, "identities/shared.yaml"), path.join(dir, "identities/team.yaml"));
  const rename = commit("Rename shared.yaml to team.yaml", ALICE, "2024-04-01T10:00:00Z");

  git(["checkout", "-q", "-b", "remove-sales"]);
  write("identities/team.yaml", TEAM_V3);
  const branch = commit("Retire the sales group; Bob moves to his cloud UPN", BOB, "2024-05-01T10:00:00Z");
  git(["checkout", "-q", "main"]);
  git(
    ["merge", "-q", "--no-ff", "-m", "Merge pull request #12 from contoso/remove-sales", "remove-sales"],
    CAROL,
    "2024-05-02T10:00:00Z",
  );
  const merge = git(["rev-parse", "HEAD"]);

  write("identities/staff.yaml", STAFF_BROKEN);
  const broken = commit("WIP", ALICE, "2024-06-01T10:00:00Z");

  write("identities/staff.yaml", STAFF_V4);
  const fixed = commit('Fix staff.yaml, drop the "old" alias', ALICE, "2024-06-02T10:00:00Z");

  rmSync(path.join(dir, "README.md"));
  commit("Unrelated: drop README", CAROL, "2024-06-03T10:00:00Z");

  return {
    dir,
    remove,
    commits: { add, primary, move, rename, branch, merge, broken, fixed },
    receiptFinishedAt: "2024-04-02T08:00:00.000Z",
    receiptReview: { reviewed: true, pullRequest: 9, planDigest: `sha256:${"ab".repeat(32)}` },
  };
}

/** Records an apply of `commit` that wrote asmith and found bjones refused by a guard. */
export async function addReceipt(repo: HistoryRepo, commit: string): Promise<void> {
  const receipt: Receipt = {
    version: 1,
    startedAt: "2024-04-02T07:59:00.000Z",
    finishedAt: repo.receiptFinishedAt,
    commit,
    review: repo.receiptReview,
    objects: [
      {
        key: "asmith",
        target: "ad",
        object: "CN=Alice Smith,OU=Staff,DC=corp,DC=contoso,DC=com",
        before: { proxyAddresses: ["SMTP:asmith@contoso.com"], mail: "asmith@contoso.com" },
        after: {
          proxyAddresses: ["SMTP:alice.smith@contoso.com", "smtp:asmith@contoso.com"],
          mail: "alice.smith@contoso.com",
        },
        result: "applied",
        error: null,
      },
      {
        key: "bjones",
        target: "ad",
        object: "CN=Bob Jones,OU=Staff,DC=corp,DC=contoso,DC=com",
        before: null,
        after: null,
        result: "skipped",
        error: "refused: more changes than policy.maxChangesPerApply",
      },
    ],
    summary: { applied: 1, conflict: 0, skipped: 1, failed: 0 },
  };
  await attachReceiptNote(repo.dir, commit, receipt);
}
