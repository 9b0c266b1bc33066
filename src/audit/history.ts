/**
 * The history walk: the only I/O of the audit. Reads, with git, every commit that touched the
 * identities folder, the desired state at it and at its parents, the merges that brought commits
 * into HEAD, and the receipts under refs/notes/idanchor. Comparing the states is left to the differ.
 */
import path from "node:path";

import type { SimpleGit } from "simple-git";

import { NOTES_REF, parseNoteLinesOfKind, parseReceiptNote } from "../apply/git-note.js";
import type { VerificationNote } from "../plan/verify-types.js";
import type { SourceFile } from "../desired/yaml-files.js";
import { InputError } from "../model/errors.js";
import { diffMerge, diffSnapshots } from "./diff.js";
import { prNumber } from "./pull-request.js";
import type { FileProblem } from "./snapshot.js";
import { readSnapshot, snapshotKey } from "./snapshot.js";
import type {
  AuditHistory,
  AuditWarning,
  CommitChanges,
  CommitInfo,
  DesiredSnapshot,
  ReceiptView,
  VerificationView,
} from "../model/audit.js";
import { openGit } from "../desired/git.js";

const FIELD = "\u001f";
const RECORD = "\u001e";
const LOG_FORMAT = ["%H", "%P", "%an", "%ae", "%aI", "%s"].join("%x1f") + "%x1e";

interface StateAt {
  snapshot: DesiredSnapshot;
  problems: FileProblem[];
}

const EMPTY: StateAt = { snapshot: new Map(), problems: [] };

function parseLog(text: string): CommitInfo[] {
  return text
    .split(RECORD)
    .map((entry) => entry.replace(/^\n/, ""))
    .filter((entry) => entry.trim() !== "")
    .map((entry) => {
      const [hash = "", parents = "", author = "", email = "", date = "", subject = ""] = entry.split(FIELD);
      return { hash, parents: parents.split(" ").filter(Boolean), author, email, date, subject };
    });
}

/** Reads the identities folder at each commit; snapshots are cached by the folder's tree id. */
class StateReader {
  private readonly byTree = new Map<string, StateAt>();
  private readonly byCommit = new Map<string, StateAt>();
  private readonly texts = new Map<string, string>();

  constructor(
    private readonly git: SimpleGit,
    private readonly dir: string,
  ) {}

  async at(commit: string, previous: StateAt): Promise<StateAt> {
    const known = this.byCommit.get(commit);
    if (known) return known;
    const tree = (
      await this.git
        .raw(["rev-parse", "--verify", "--quiet", `${commit}:${this.dir === "." ? "" : this.dir}`])
        .catch(() => "")
    ).trim();
    let state = tree ? this.byTree.get(tree) : EMPTY;
    if (!state) {
      state = readSnapshot(await this.files(commit), previous.snapshot);
      this.byTree.set(tree, state);
    }
    this.byCommit.set(commit, state);
    return state;
  }

  private async files(commit: string): Promise<SourceFile[]> {
    const scope = this.dir === "." ? [] : ["--", this.dir];
    const listing = await this.git.raw(["ls-tree", "-r", "-z", commit, ...scope]);
    const files: SourceFile[] = [];
    for (const entry of listing.split("\0")) {
      const match = /^\d+ blob ([0-9a-f]+)\t(.+)$/s.exec(entry);
      if (!match || !/\.ya?ml$/i.test(match[2]!)) continue;
      const [, blob, file] = match as unknown as [string, string, string];
      let text = this.texts.get(blob);
      if (text === undefined) {
        text = (await this.git.raw(["cat-file", "blob", blob])).replace(/^\uFEFF/, "");
        this.texts.set(blob, text);
      }
      files.push({ path: file, text });
    }
    return files;
  }
}

/** Commit -> subject of the merge on HEAD's first-parent line that brought it in. */
async function introducingMerges(git: SimpleGit): Promise<Map<string, string>> {
  const merges = parseLog(
    await git.raw(["log", "--first-parent", "--merges", `--format=${LOG_FORMAT}`, "HEAD"]),
  );
  const out = new Map<string, string>();
  for (const merge of merges.reverse()) {
    const [first] = merge.parents;
    if (!first) continue;
    const introduced = await git.raw(["rev-list", merge.hash, `^${first}`]);
    for (const hash of introduced.split("\n").filter(Boolean))
      if (!out.has(hash)) out.set(hash, merge.subject);
  }
  return out;
}

function verificationViews(text: string): VerificationView[] {
  return parseNoteLinesOfKind(text, "verification").flatMap((line) =>
    ((line as unknown as VerificationNote).results ?? []).map((r) => ({
      key: snapshotKey(r.key),
      receiptCommit: r.receipt.commit,
      receiptFinishedAt: r.receipt.finishedAt,
      verdict: r.verdict,
      at: (line as unknown as VerificationNote).verifiedAt,
      codes: r.divergences.map((d) => d.code),
      message: r.message,
    })),
  );
}

async function readReceipts(
  git: SimpleGit,
): Promise<{ receipts: ReceiptView[]; problems: AuditWarning[]; verifications: VerificationView[] }> {
  const list = await git.raw(["notes", `--ref=${NOTES_REF}`, "list"]).catch(() => "");
  const receipts: ReceiptView[] = [];
  const problems: AuditWarning[] = [];
  const verifications: VerificationView[] = [];
  for (const line of list.split("\n")) {
    const [note, annotated] = line.trim().split(/\s+/);
    if (!note || !annotated) continue;
    try {
      const text = await git.raw(["cat-file", "-p", note]);
      verifications.push(...verificationViews(text));
      for (const receipt of parseReceiptNote(text)) {
        // Only what was really written (or was found already written) counts as applied.
        const keys = receipt.objects
          .filter((o) => o.result === "applied" || (o.result === "skipped" && /already/i.test(o.error ?? "")))
          .map((o) => snapshotKey(o.key));
        const review: ReceiptView["review"] = receipt.review?.reviewed
          ? {
              reviewed: true,
              pullRequest: receipt.review.pullRequest,
              planDigest: receipt.review.planDigest,
            }
          : { reviewed: false };
        receipts.push({ commit: receipt.commit ?? annotated, finishedAt: receipt.finishedAt, keys, review });
      }
    } catch (error) {
      const message = `the receipt note cannot be read: ${error instanceof Error ? error.message : String(error)}`;
      problems.push({ commit: annotated, date: null, file: `refs/notes/${NOTES_REF}`, message });
    }
  }
  verifications.sort((a, b) => a.at.localeCompare(b.at));
  return { receipts, problems, verifications };
}

async function ancestry(git: SimpleGit, commits: readonly string[]): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const commit of new Set(commits)) {
    const list = await git.raw(["rev-list", commit]).catch(() => "");
    out.set(commit, new Set(list.split("\n").filter(Boolean)));
  }
  return out;
}

async function openRepository(cwd: string, identities: string): Promise<{ git: SimpleGit; dir: string }> {
  const git = await openGit(cwd);
  if (!(await git.checkIsRepo().catch(() => false)))
    throw new InputError("not a git repository: the audit reads the history of the identities folder", {
      file: cwd,
    });
  const top = (await git.revparse(["--show-toplevel"])).trim();
  const dir = path.relative(top, path.resolve(cwd, identities)).split(path.sep).join("/") || ".";
  if (dir.startsWith("..")) throw new InputError("is outside the git repository", { file: identities });
  return { git: await openGit(top), dir };
}

/** Reads the history of `identities` (a folder, relative to cwd) up to HEAD. */
export async function readAuditHistory(cwd: string, identities: string): Promise<AuditHistory> {
  const { git, dir } = await openRepository(cwd, identities);
  const hasHead = (await git.raw(["rev-parse", "--verify", "--quiet", "HEAD"]).catch(() => "")).trim() !== "";
  if (!hasHead)
    return { steps: [], addresses: new Map(), receipts: [], receiptWarnings: [], contains: new Map() };

  const commits = parseLog(
    await git.raw([
      "log",
      "--full-history",
      "--topo-order",
      "--reverse",
      `--format=${LOG_FORMAT}`,
      "HEAD",
      "--",
      dir,
    ]),
  );
  const merges = await introducingMerges(git);
  const reader = new StateReader(git, dir);
  const addresses = new Map<string, Set<string>>();
  const steps: CommitChanges[] = [];
  for (const commit of commits) {
    const parents: StateAt[] = [];
    for (const parent of commit.parents) parents.push(await reader.at(parent, EMPTY));
    const first = parents[0] ?? EMPTY;
    const state = await reader.at(commit.hash, first);
    for (const identity of state.snapshot.values()) {
      const set = addresses.get(snapshotKey(identity.key)) ?? new Set<string>();
      for (const address of [identity.smtp, ...identity.aliases]) set.add(address.toLowerCase());
      addresses.set(snapshotKey(identity.key), set);
    }
    const changes =
      parents.length > 1
        ? diffMerge(
            parents.map((p) => p.snapshot),
            state.snapshot,
          )
        : diffSnapshots(first.snapshot, state.snapshot);
    // A problem is news only at the commit that introduced it.
    const warnings = state.problems.filter(
      (p) =>
        !parents.some((parent) => parent.problems.some((q) => q.file === p.file && q.message === p.message)),
    );
    if (changes.length === 0 && warnings.length === 0) continue;
    const pr = prNumber(commit.subject) ?? prNumber(merges.get(commit.hash) ?? "");
    steps.push({ commit, pr, changes, warnings });
  }

  const { receipts, problems, verifications } = await readReceipts(git);
  const contains = await ancestry(
    git,
    receipts.map((r) => r.commit),
  );
  return { steps, addresses, receipts, receiptWarnings: problems, contains, verifications };
}
