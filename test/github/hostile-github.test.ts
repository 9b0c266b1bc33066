import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";

import { main } from "../../src/cli/main.js";
import { createGithubIssues } from "../../src/github/github-api.js";
import { tempDir } from "../support/files.js";
import { startEchoingGithub, startStandIn } from "../support/hostile-servers.js";
import type { StandIn } from "../support/hostile-servers.js";
import { capture, planIdentity, planOf, writePlan } from "./fixtures.js";

/** A token with the characters that change under URL and base64 encoding. */
const TOKEN = "ghs_Zk9+/=&%x7Qp Secret42";

const forms = (token: string): string[] => [
  token,
  encodeURIComponent(token),
  encodeURIComponent(token).replace(/%20/g, "+"),
  Buffer.from(token).toString("base64"),
  Buffer.from(`x-access-token:${token}`).toString("base64"),
  // The stretch of the token that is not affected by any encoding.
  "x7Qp",
];

let dir: string;
let removeDir: () => void;
const standIns: StandIn[] = [];

beforeEach(() => {
  ({ dir, remove: removeDir } = tempDir());
});

afterEach(async () => {
  await Promise.all(standIns.splice(0).map((s) => s.close()));
  removeDir();
});

function env(apiUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    GITHUB_API_URL: apiUrl,
    GITHUB_REPOSITORY: "contoso/identities",
    GITHUB_TOKEN: TOKEN,
    GITHUB_WORKSPACE: dir,
    ...extra,
  };
}

async function comment(environment: Record<string, string>) {
  const planFile = writePlan(dir, planOf([planIdentity(1)]));
  const run = capture(environment, dir);
  const code = await main(["github", "comment", "--plan-file", planFile, "--pr", "12"], run.ctx);
  return { code, stderr: run.stderr(), stdout: run.stdout() };
}

describe("GitHub API errors from a hostile server", () => {
  it("an error body that echoes the Authorization header (raw, URL-encoded, base64) prints no form of the token", async () => {
    const github = await startEchoingGithub(401);
    standIns.push(github);

    const result = await comment(env(github.url, { IDANCHOR_TEST_ONLY_ALLOW_HTTP: "1" }));

    expect(github.seen.length).toBeGreaterThanOrEqual(1);
    expect(github.seen[0]).toContain(TOKEN); // the stand-in did get the token, and echoed it
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("HTTP 401");
    expect(result.stderr).toContain("[redacted]");
    for (const form of forms(TOKEN)) expect(result.stderr).not.toContain(form);
  });

  it("strips terminal escapes and line breaks from GitHub's message: one line, no ESC, no BEL, no CR", async () => {
    const github = await startEchoingGithub(500);
    standIns.push(github);

    const result = await comment(env(github.url, { IDANCHOR_TEST_ONLY_ALLOW_HTTP: "1" }));

    expect(result.code).toBe(1);
    expect(result.stderr).toContain("FAKE: all good");
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  });

  it.each([
    ["http://api.github.example/api/v3", {}],
    ["http://127.0.0.1:9", {}],
    ["http://api.github.example/api/v3", { IDANCHOR_TEST_ONLY_ALLOW_HTTP: "1" }],
  ])(
    "refuses GITHUB_API_URL=%s (the token would travel in clear) before sending anything",
    async (url, extra) => {
      const result = await comment(env(url, extra));

      expect(result.code).toBe(1);
      expect(result.stderr).toContain("GITHUB_API_URL must be an https:// URL");
      for (const form of forms(TOKEN)) expect(result.stderr).not.toContain(form);
    },
  );

  it("a GitHub host that accepts TCP and never answers fails within the deadline, naming the host", async () => {
    const silent = await startStandIn("silent-tcp");
    standIns.push(silent);
    const api = createGithubIssues({
      owner: "contoso",
      repo: "identities",
      token: TOKEN,
      baseUrl: `http://${silent.host}`,
      deadlines: { firstByteMs: 1000, totalMs: 3000 },
    });

    const error = await api.listComments(12).then(
      () => undefined,
      (e: unknown) => e as Error,
    );

    expect(error?.message).toBe(
      `GitHub API: listing the comments of #12 failed: GitHub: no answer from ${silent.host} within 1 s (waiting for the response)`,
    );
  }, 20_000);
});
