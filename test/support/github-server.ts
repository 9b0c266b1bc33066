/**
 * A loopback HTTP server speaking the GitHub REST endpoints idanchor calls: issue comments (list with
 * Link paging, create, update, delete), issues (list, create, update), and for the reviewed plan the
 * pull requests of a commit, a workflow's runs, a run's artifacts and an artifact's zip download
 * (a 302 to a download URL, as GitHub redirects to its blob storage). State lives in memory;
 * every write is counted. Like GitHub it refuses bad tokens (401), writes with a read-only token
 * (403, as for pull requests from forks) and bodies over 65,536 characters (422).
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

import { actionsRoute } from "./github-server-actions.js";

export const GITHUB_BODY_LIMIT = 65_536;

export interface FakeUser {
  login: string;
  id: number;
  type: "Bot" | "User";
}

export const ACTIONS_BOT: FakeUser = { login: "github-actions[bot]", id: 41898282, type: "Bot" };

export interface FakeComment {
  id: number;
  issueNumber: number;
  body: string;
  user: FakeUser;
}

export interface FakeIssue {
  number: number;
  title: string;
  body: string;
  state: "open" | "closed";
  stateReason: string | null;
  user: FakeUser;
  isPullRequest: boolean;
}

export interface FakePull {
  number: number;
  headSha: string;
  mergeCommitSha: string | null;
  mergedAt: string | null;
  /** Commits this pull request is associated with (its head and merge commits). */
  commits: string[];
}

export interface FakeRun {
  id: number;
  workflow: string;
  headSha: string;
  status: "completed" | "in_progress";
  conclusion: "success" | "failure" | null;
  createdAt: string;
}

export interface FakeArtifact {
  id: number;
  runId: number;
  name: string;
  expired: boolean;
  zip: Buffer;
}

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | undefined;
}

export interface GithubServer {
  /** Base URL for Octokit (GITHUB_API_URL). */
  url: string;
  token: string;
  comments: Map<number, FakeComment>;
  issues: Map<number, FakeIssue>;
  requests: RecordedRequest[];
  /** POST, PATCH and DELETE requests that succeeded. */
  writes: RecordedRequest[];
  /** Emulates the read-only token of a pull request from a fork. */
  readOnly: boolean;
  pulls: FakePull[];
  runs: FakeRun[];
  artifacts: FakeArtifact[];
  addIssue(fields: Partial<FakeIssue> & { title: string }): FakeIssue;
  addComment(issueNumber: number, body: string, user?: FakeUser): FakeComment;
  /** Our comments on an issue, in creation (display) order. */
  commentsOn(issueNumber: number): FakeComment[];
  close(): Promise<void>;
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`HTTP ${status}`);
  }
}

function readJson(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", reject);
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      if (text === "") return resolve({});
      try {
        const data: unknown = JSON.parse(text);
        if (typeof data !== "object" || data === null || Array.isArray(data))
          throw new Error("not an object");
        resolve(data as Record<string, unknown>);
      } catch {
        reject(new HttpError(400, { message: "Problems parsing JSON" }));
      }
    });
  });
}

function checkBody(body: unknown, resource: string): string {
  if (typeof body !== "string")
    throw new HttpError(422, {
      message: "Validation Failed",
      errors: [{ resource, field: "body", code: "missing_field" }],
    });
  if (body.length > GITHUB_BODY_LIMIT) {
    throw new HttpError(422, {
      message: "Validation Failed",
      errors: [
        {
          resource,
          code: "custom",
          field: "body",
          message: `body is too long (maximum is ${GITHUB_BODY_LIMIT} characters)`,
        },
      ],
    });
  }
  return body;
}

function page<T>(items: T[], url: URL, base: string): { items: T[]; link: string | null } {
  const perPage = Math.min(Number(url.searchParams.get("per_page") ?? 30) || 30, 100);
  const pageNo = Math.max(Number(url.searchParams.get("page") ?? 1) || 1, 1);
  const slice = items.slice((pageNo - 1) * perPage, pageNo * perPage);
  if (pageNo * perPage >= items.length) return { items: slice, link: null };
  const next = new URL(url.pathname, base);
  url.searchParams.forEach((v, k) => next.searchParams.set(k, v));
  next.searchParams.set("page", String(pageNo + 1));
  return { items: slice, link: `<${next.href}>; rel="next"` };
}

export async function startGithubServer(
  options: { token?: string; user?: FakeUser } = {},
): Promise<GithubServer> {
  const token = options.token ?? "ghs_loopbackTestToken0000000000000000";
  const me = options.user ?? ACTIONS_BOT;
  let nextId = 1000;
  let nextIssue = 1;
  const comments = new Map<number, FakeComment>();
  const issues = new Map<number, FakeIssue>();
  const requests: RecordedRequest[] = [];
  const writes: RecordedRequest[] = [];
  let base = "";

  const commentJson = (c: FakeComment): unknown => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${base}/repos/o/r/issues/comments/${c.id}`,
    html_url: `https://github.example/o/r/issues/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${base}/repos/o/r/issues/${c.issueNumber}`,
    body: c.body,
    user: c.user,
    author_association: "NONE",
  });
  const issueJson = (i: FakeIssue): unknown => ({
    id: 500000 + i.number,
    number: i.number,
    title: i.title,
    body: i.body,
    state: i.state,
    state_reason: i.stateReason,
    user: i.user,
    ...(i.isPullRequest ? { pull_request: { url: `${base}/repos/o/r/pulls/${i.number}` } } : {}),
  });
  const issueOr404 = (n: number): FakeIssue => {
    const issue = issues.get(n);
    if (!issue) throw new HttpError(404, { message: "Not Found" });
    return issue;
  };

  const server: GithubServer = {
    url: "",
    token,
    comments,
    issues,
    requests,
    writes,
    readOnly: false,
    pulls: [],
    runs: [],
    artifacts: [],
    addIssue(fields) {
      const issue: FakeIssue = {
        number: nextIssue++,
        body: "",
        state: "open",
        stateReason: null,
        user: { login: "octocat", id: 1, type: "User" },
        isPullRequest: false,
        ...fields,
      };
      nextIssue = Math.max(nextIssue, issue.number + 1);
      issues.set(issue.number, issue);
      return issue;
    },
    addComment(issueNumber, body, user = me) {
      const comment = { id: nextId++, issueNumber, body, user };
      comments.set(comment.id, comment);
      return comment;
    },
    commentsOn(issueNumber) {
      return [...comments.values()].filter((c) => c.issueNumber === issueNumber).sort((a, b) => a.id - b.id);
    },
    close: () =>
      new Promise((resolve, reject) => {
        // Octokit's fetch keeps connections alive; without this, close() waits for them to time out.
        listener.closeAllConnections();
        listener.close((e) => (e ? reject(e) : resolve()));
      }),
  };

  async function route(
    method: string,
    url: URL,
    req: http.IncomingMessage,
  ): Promise<[number, unknown, Record<string, string>?]> {
    const parts = url.pathname.split("/").filter(Boolean);
    const actions = actionsRoute(server, base, method, url, parts);
    if (actions) return actions;
    if (parts[0] !== "repos" || parts.length < 4 || parts[3] !== "issues")
      throw new HttpError(404, { message: "Not Found" });
    const rest = parts.slice(4);
    const write = method !== "GET";
    if (write && server.readOnly)
      throw new HttpError(403, { message: "Resource not accessible by integration" });

    if (rest.length === 0 && method === "GET") {
      const state = url.searchParams.get("state") ?? "open";
      const list = [...issues.values()]
        .filter((i) => state === "all" || i.state === state)
        .sort((a, b) => b.number - a.number);
      const { items, link } = page(list, url, base);
      return [200, items.map(issueJson), link ? { link } : undefined];
    }
    if (rest.length === 0 && method === "POST") {
      const data = await readJson(req);
      if (typeof data.title !== "string" || data.title === "")
        throw new HttpError(422, { message: "Validation Failed" });
      const issue = server.addIssue({
        title: data.title,
        body: checkBody(data.body ?? "", "Issue"),
        user: me,
      });
      return [201, issueJson(issue)];
    }
    if (rest[0] === "comments" && rest.length === 2) {
      const comment = comments.get(Number(rest[1]));
      if (!comment) throw new HttpError(404, { message: "Not Found" });
      if (method === "PATCH") {
        comment.body = checkBody((await readJson(req)).body, "IssueComment");
        return [200, commentJson(comment)];
      }
      if (method === "DELETE") {
        comments.delete(comment.id);
        return [204, null];
      }
      if (method === "GET") return [200, commentJson(comment)];
    }
    const issueNumber = Number(rest[0]);
    if (Number.isInteger(issueNumber) && rest.length === 1) {
      const issue = issueOr404(issueNumber);
      if (method === "GET") return [200, issueJson(issue)];
      if (method === "PATCH") {
        const data = await readJson(req);
        if (data.body !== undefined) issue.body = checkBody(data.body, "Issue");
        if (data.state === "open" || data.state === "closed") issue.state = data.state;
        if (typeof data.state_reason === "string") issue.stateReason = data.state_reason;
        return [200, issueJson(issue)];
      }
    }
    if (Number.isInteger(issueNumber) && rest[1] === "comments" && rest.length === 2) {
      issueOr404(issueNumber);
      if (method === "GET") {
        const { items, link } = page(server.commentsOn(issueNumber), url, base);
        return [200, items.map(commentJson), link ? { link } : undefined];
      }
      if (method === "POST") {
        const comment = server.addComment(issueNumber, checkBody((await readJson(req)).body, "IssueComment"));
        return [201, commentJson(comment)];
      }
    }
    throw new HttpError(404, { message: "Not Found" });
  }

  const listener = await new Promise<http.Server>((resolve) => {
    const s = http.createServer((req, res) => void handle(req, res));
    s.listen(0, "127.0.0.1", () => resolve(s));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", base);
    const method = req.method ?? "GET";
    const recorded = { method, path: url.pathname, authorization: req.headers.authorization };
    requests.push(recorded);
    const blob = /^\/_blob\/(\d+)$/.exec(url.pathname);
    if (blob) {
      // Blob storage: the redirect's URL is the credential, as GitHub's signed URLs are.
      const artifact = server.artifacts.find((a) => a.id === Number(blob[1]));
      res.writeHead(artifact ? 200 : 404, { "content-type": "application/zip" });
      res.end(artifact?.zip);
      return;
    }
    try {
      const auth = req.headers.authorization ?? "";
      if (auth !== `token ${token}` && auth !== `bearer ${token}` && auth !== `Bearer ${token}`) {
        throw new HttpError(401, { message: "Bad credentials" });
      }
      const [status, body, headers] = await route(method, url, req);
      if (method !== "GET") writes.push(recorded);
      res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
      res.end(status === 204 || status === 302 ? undefined : JSON.stringify(body));
    } catch (error) {
      const e = error instanceof HttpError ? error : new HttpError(500, { message: String(error) });
      res.writeHead(e.status, { "content-type": "application/json; charset=utf-8" });
      res.end(JSON.stringify(e.body));
    }
  }
  base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  server.url = base;
  return server;
}
