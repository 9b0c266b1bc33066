/**
 * The slice of the GitHub REST API idanchor uses (issue comments, issues), as one interface with an
 * Octokit adapter. Errors leave this file as GithubApiError: status and GitHub's message only, never
 * the request (its headers carry the token) or the raw response.
 */
import type { Octokit } from "@octokit/rest";

import { oneLine, scrubSecrets } from "../model/sanitize.js";
import type { GithubActionsApi } from "./reviewed-plan.js";

export interface GithubUser {
  login: string;
  type: string;
}

export interface IssueComment {
  id: number;
  body: string;
  user: GithubUser | null;
}

export interface Issue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  user: GithubUser | null;
  isPullRequest: boolean;
}

export interface RepoRef {
  owner: string;
  repo: string;
}

/** Comments and issues of one repository. */
export interface GithubIssues {
  listComments(issueNumber: number): Promise<IssueComment[]>;
  createComment(issueNumber: number, body: string): Promise<IssueComment>;
  updateComment(commentId: number, body: string): Promise<void>;
  deleteComment(commentId: number): Promise<void>;
  listOpenIssues(): Promise<Issue[]>;
  createIssue(title: string, body: string): Promise<Issue>;
  updateIssue(issueNumber: number, fields: { body?: string; state?: "open" | "closed" }): Promise<void>;
}

export class GithubApiError extends Error {
  override readonly name = "GithubApiError";
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

const HINTS: Record<number, string> = {
  401: "the token was refused; pass GITHUB_TOKEN: ${{ github.token }} to the step",
  403: "the token may not write here; the job needs 'pull-requests: write' (comments) or 'issues: write' (issues), and pull requests from forks only get a read-only token",
  404: "repository, pull request or issue not found, or the token cannot see it",
};

/**
 * Keeps status and GitHub's own message (scrubbed of the token in any encoding, and of control
 * characters: a proxy or a hostile server may echo the request); drops everything else.
 */
export function toGithubApiError(
  error: unknown,
  action: string,
  secrets: readonly string[] = [],
): GithubApiError {
  if (error instanceof GithubApiError) return error;
  const status =
    typeof error === "object" && error !== null && typeof (error as { status?: unknown }).status === "number"
      ? (error as { status: number }).status
      : undefined;
  const data =
    typeof error === "object" && error !== null
      ? (error as { response?: { data?: unknown } }).response?.data
      : undefined;
  const githubMessage =
    typeof data === "object" && data !== null && typeof (data as { message?: unknown }).message === "string"
      ? (data as { message: string }).message
      : typeof data === "string" && data.trim() !== ""
        ? data
        : undefined;
  // Octokit gives network failures status 500 and no response: report them as what they are.
  const response =
    typeof error === "object" && error !== null ? (error as { response?: unknown }).response : undefined;
  const networkFailure = response === undefined;
  const raw =
    status === undefined || networkFailure
      ? error instanceof Error
        ? error.message
        : "request failed"
      : `HTTP ${status}${githubMessage ? ` ${githubMessage}` : ""}`;
  const line = oneLine(scrubSecrets(raw, secrets));
  const cause = line.length > 300 ? `${line.slice(0, 297)}...` : line;
  const hint = status !== undefined && !networkFailure ? HINTS[status] : undefined;
  return new GithubApiError(
    `GitHub API: ${action} failed: ${cause}${hint ? ` (${hint})` : ""}`,
    networkFailure ? undefined : status,
  );
}

async function call<T>(action: string, secrets: readonly string[], run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw toGithubApiError(error, action, secrets);
  }
}

export interface GithubDeadlines {
  /** Connect and first byte of the response headers. */
  firstByteMs: number;
  /** The whole exchange, body included. */
  totalMs: number;
}

export const DEFAULT_GITHUB_DEADLINES: GithubDeadlines = { firstByteMs: 30_000, totalMs: 120_000 };

class GithubTimeout extends Error {
  override readonly name = "GithubTimeout";
}

/**
 * fetch with deadlines: the response is read in full here, under the deadline, so that a server
 * that never answers or never finishes fails with its host named instead of hanging the job.
 */
export function fetchWithDeadlines(deadlines: GithubDeadlines): typeof fetch {
  return async (input, init) => {
    const host = new URL(input instanceof Request ? input.url : String(input)).host;
    const timeout = (ms: number, stage: string): GithubTimeout =>
      new GithubTimeout(`GitHub: no answer from ${host} within ${ms / 1000} s (${stage})`);
    const controller = new AbortController();
    const firstByte = setTimeout(
      () => controller.abort(timeout(deadlines.firstByteMs, "waiting for the response")),
      deadlines.firstByteMs,
    );
    const total = setTimeout(
      () => controller.abort(timeout(deadlines.totalMs, "reading the response")),
      deadlines.totalMs,
    );
    const signals = [controller.signal, ...(init?.signal ? [init.signal] : [])];
    try {
      const response = await fetch(input, { ...init, signal: AbortSignal.any(signals) });
      clearTimeout(firstByte);
      const body = await response.arrayBuffer();
      const empty = [101, 204, 205, 304].includes(response.status);
      return new Response(empty ? null : body, {
        status: response.status,
        statusText: response.statusText,
        headers: response.headers,
      });
    } catch (error) {
      const reason: unknown = controller.signal.reason;
      throw reason instanceof GithubTimeout ? reason : error;
    } finally {
      clearTimeout(firstByte);
      clearTimeout(total);
    }
  };
}

function user(raw: { login: string; type: string } | null | undefined): GithubUser | null {
  return raw ? { login: raw.login, type: raw.type } : null;
}

function toIssue(raw: {
  number: number;
  title: string;
  body?: string | null;
  state: string;
  user: { login: string; type: string } | null;
  pull_request?: unknown;
}): Issue {
  return {
    number: raw.number,
    title: raw.title,
    body: raw.body ?? "",
    state: raw.state === "closed" ? "closed" : "open",
    user: user(raw.user),
    isPullRequest: raw.pull_request !== undefined && raw.pull_request !== null,
  };
}

/**
 * Octokit, loaded and made at the first request: the module is large (~60 ms to load), and only
 * the GitHub steps need it, so no other command's start-up pays for it.
 */
function lazyOctokit(options: ConstructorParameters<typeof Octokit>[0]): () => Promise<Octokit> {
  let made: Promise<Octokit> | undefined;
  return () => (made ??= import("@octokit/rest").then(({ Octokit: Client }) => new Client(options)));
}

export interface OctokitOptions extends RepoRef {
  token: string;
  baseUrl: string;
  /** Octokit's own warnings (deprecations); fixed text only, no request objects. */
  warn?: (message: string) => void;
  deadlines?: GithubDeadlines;
}

export function createGithubIssues(options: OctokitOptions): GithubIssues {
  const { owner, repo } = options;
  const secrets = [options.token];
  const quiet = (): void => undefined;
  const client = lazyOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: "idanchor",
    request: { fetch: fetchWithDeadlines(options.deadlines ?? DEFAULT_GITHUB_DEADLINES) },
    log: {
      debug: quiet,
      info: quiet,
      warn: (message: string) => options.warn?.(oneLine(scrubSecrets(message, secrets))),
      error: quiet,
    },
  });
  return {
    listComments: (issueNumber) =>
      call(`listing the comments of #${issueNumber}`, secrets, async () => {
        const octokit = await client();
        const comments = await octokit.paginate(octokit.rest.issues.listComments, {
          owner,
          repo,
          issue_number: issueNumber,
          per_page: 100,
        });
        return comments.map((c) => ({ id: c.id, body: c.body ?? "", user: user(c.user) }));
      }),
    createComment: (issueNumber, body) =>
      call(`commenting on #${issueNumber}`, secrets, async () => {
        const octokit = await client();
        const { data } = await octokit.rest.issues.createComment({
          owner,
          repo,
          issue_number: issueNumber,
          body,
        });
        return { id: data.id, body: data.body ?? "", user: user(data.user) };
      }),
    updateComment: (commentId, body) =>
      call(`updating comment ${commentId}`, secrets, async () => {
        const octokit = await client();
        await octokit.rest.issues.updateComment({ owner, repo, comment_id: commentId, body });
      }),
    deleteComment: (commentId) =>
      call(`deleting comment ${commentId}`, secrets, async () => {
        const octokit = await client();
        await octokit.rest.issues.deleteComment({ owner, repo, comment_id: commentId });
      }),
    listOpenIssues: () =>
      call("listing open issues", secrets, async () => {
        const octokit = await client();
        const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
          owner,
          repo,
          state: "open",
          per_page: 100,
        });
        return issues.map(toIssue);
      }),
    createIssue: (title, body) =>
      call("opening an issue", secrets, async () => {
        const octokit = await client();
        const { data } = await octokit.rest.issues.create({ owner, repo, title, body });
        return toIssue(data);
      }),
    updateIssue: (issueNumber, fields) =>
      call(`updating issue #${issueNumber}`, secrets, async () => {
        const octokit = await client();
        await octokit.rest.issues.update({
          owner,
          repo,
          issue_number: issueNumber,
          ...fields,
          ...(fields.state === "closed" ? { state_reason: "completed" as const } : {}),
        });
      }),
  };
}

/** The Actions slice (reviewed-plan.ts) on Octokit; errors as GithubApiError like the rest. */
export function createGithubActions(options: OctokitOptions): GithubActionsApi {
  const { owner, repo } = options;
  const secrets = [options.token];
  const client = lazyOctokit({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: "idanchor",
    request: { fetch: fetchWithDeadlines(options.deadlines ?? DEFAULT_GITHUB_DEADLINES) },
  });
  return {
    pullRequestsOfCommit: (sha) =>
      call(`listing the pull requests of ${sha}`, secrets, async () => {
        const octokit = await client();
        const { data } = await octokit.rest.repos.listPullRequestsAssociatedWithCommit({
          owner,
          repo,
          commit_sha: sha,
        });
        return data.map((p) => ({
          number: p.number,
          headSha: p.head.sha,
          mergeCommitSha: p.merge_commit_sha ?? null,
          merged: p.merged_at !== null && p.merged_at !== undefined,
        }));
      }),
    successfulRuns: (workflow, headSha) =>
      call(`listing the runs of ${workflow}`, secrets, async () => {
        const octokit = await client();
        const { data } = await octokit.rest.actions.listWorkflowRuns({
          owner,
          repo,
          workflow_id: workflow,
          head_sha: headSha,
          status: "success",
          per_page: 100,
        });
        return data.workflow_runs.map((r) => ({
          id: r.id,
          headSha: r.head_sha,
          conclusion: r.conclusion ?? null,
          createdAt: r.created_at,
          htmlUrl: r.html_url,
        }));
      }),
    runArtifacts: (runId) =>
      call(`listing the artifacts of run ${runId}`, secrets, async () => {
        const octokit = await client();
        const { data } = await octokit.rest.actions.listWorkflowRunArtifacts({
          owner,
          repo,
          run_id: runId,
          per_page: 100,
        });
        return data.artifacts.map((a) => ({ id: a.id, name: a.name, expired: a.expired }));
      }),
    downloadArtifact: (artifactId) =>
      call(`downloading artifact ${artifactId}`, secrets, async () => {
        const octokit = await client();
        const { data } = await octokit.rest.actions.downloadArtifact({
          owner,
          repo,
          artifact_id: artifactId,
          archive_format: "zip",
        });
        return Buffer.from(data as ArrayBuffer);
      }),
  };
}
