/**
 * What a GitHub Actions job tells a step through its environment, read from the env object passed in
 * (never process.env). The token is kept here and handed to the client only; it is never printed.
 */
import { readFile } from "node:fs/promises";

import { InputError } from "../model/errors.js";
import type { RepoRef } from "./github-api.js";

export interface ActionsContext {
  token: string | null;
  apiUrl: string;
  repository: RepoRef | null;
  eventName: string | null;
  eventPath: string | null;
  /** The checkout root: annotation paths are relative to it. */
  workspace: string | null;
  summaryFile: string | null;
  /** Link to this workflow run, for "see the log" notes. */
  runUrl: string | null;
  /** Login whose comments are ours; null means "any bot" (github-actions[bot] or an App). */
  commentAuthor: string | null;
  /** IDANCHOR_TEST_ONLY_ALLOW_HTTP=1: the loopback test server speaks plain http. Never in a workflow. */
  allowHttpForTests: boolean;
}

/** The environment variable that lets tests use an http:// GitHub API on loopback. */
export const TEST_ONLY_ALLOW_HTTP = "IDANCHOR_TEST_ONLY_ALLOW_HTTP";

function nonEmpty(value: string | undefined): string | null {
  return value !== undefined && value.trim() !== "" ? value.trim() : null;
}

export function parseRepository(value: string | null): RepoRef | null {
  const match = value !== null ? /^([\w.-]+)\/([\w.-]+)$/.exec(value) : null;
  return match?.[1] !== undefined && match[2] !== undefined ? { owner: match[1], repo: match[2] } : null;
}

export function readActionsContext(env: Record<string, string | undefined>): ActionsContext {
  const serverUrl = nonEmpty(env.GITHUB_SERVER_URL) ?? "https://github.com";
  const repositoryName = nonEmpty(env.GITHUB_REPOSITORY);
  const runId = nonEmpty(env.GITHUB_RUN_ID);
  return {
    token: nonEmpty(env.GITHUB_TOKEN) ?? nonEmpty(env.GH_TOKEN),
    apiUrl: (nonEmpty(env.GITHUB_API_URL) ?? "https://api.github.com").replace(/\/+$/, ""),
    repository: parseRepository(repositoryName),
    eventName: nonEmpty(env.GITHUB_EVENT_NAME),
    eventPath: nonEmpty(env.GITHUB_EVENT_PATH),
    workspace: nonEmpty(env.GITHUB_WORKSPACE),
    summaryFile: nonEmpty(env.GITHUB_STEP_SUMMARY),
    runUrl:
      repositoryName !== null && runId !== null
        ? `${serverUrl.replace(/\/+$/, "")}/${repositoryName}/actions/runs/${runId}`
        : null,
    commentAuthor: nonEmpty(env.IDANCHOR_COMMENT_AUTHOR),
    allowHttpForTests: env[TEST_ONLY_ALLOW_HTTP] === "1",
  };
}

/** The pull request a pull_request / pull_request_target / issue_comment event is about. */
export function pullRequestNumber(event: unknown): number | null {
  if (typeof event !== "object" || event === null) return null;
  const e = event as {
    pull_request?: { number?: unknown };
    issue?: { number?: unknown; pull_request?: unknown };
  };
  const candidate = e.pull_request?.number ?? (e.issue?.pull_request ? e.issue.number : undefined);
  return typeof candidate === "number" && Number.isInteger(candidate) && candidate > 0 ? candidate : null;
}

export async function readEventPullRequest(actions: ActionsContext): Promise<number | null> {
  if (actions.eventPath === null) return null;
  const text = await readFile(actions.eventPath, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read the event payload: ${error.code ?? error.message}`, {
      file: actions.eventPath!,
    });
  });
  try {
    return pullRequestNumber(JSON.parse(text));
  } catch {
    throw new InputError("the event payload is not JSON", { file: actions.eventPath });
  }
}

/** Token and repository, or an error that says how to provide them. */
export function requireApiAccess(actions: ActionsContext): { token: string; repository: RepoRef } {
  if (actions.token === null) {
    throw new InputError(
      "GITHUB_TOKEN is not set; give the step `env: GITHUB_TOKEN: ${{ github.token }}` (or a GitHub App token)",
    );
  }
  if (actions.repository === null) {
    throw new InputError("GITHUB_REPOSITORY is not set or not owner/name; run this inside GitHub Actions");
  }
  checkApiUrl(actions);
  return { token: actions.token, repository: actions.repository };
}

/**
 * The token goes to GITHUB_API_URL in every request: only over https. Plain http is accepted
 * only on loopback with the test-only switch.
 */
export function checkApiUrl(actions: ActionsContext): void {
  let url: URL;
  try {
    url = new URL(actions.apiUrl);
  } catch {
    throw new InputError(`GITHUB_API_URL "${actions.apiUrl}" is not a URL such as https://api.github.com`);
  }
  if (url.protocol === "https:") return;
  const loopback = ["127.0.0.1", "localhost", "[::1]"].includes(url.hostname);
  if (url.protocol === "http:" && actions.allowHttpForTests && loopback) return;
  throw new InputError(
    `GITHUB_API_URL must be an https:// URL (it is ${url.protocol}//${url.host}): the token would cross the ` +
      "network unencrypted. Use https://api.github.com or your GitHub Enterprise Server's https://HOST/api/v3",
  );
}
