/** The Actions endpoints of the loopback GitHub server: what `github fetch-plan` reads. */
import type { GithubServer } from "./github-server.js";
import { HttpError } from "./github-server.js";

export function actionsRoute(
  server: Pick<GithubServer, "pulls" | "runs" | "artifacts">,
  base: string,
  method: string,
  url: URL,
  parts: string[],
): [number, unknown, Record<string, string>?] | null {
  if (method !== "GET" || parts[0] !== "repos") return null;
  const rest = parts.slice(3);
  if (rest[0] === "commits" && rest[2] === "pulls" && rest.length === 3)
    return [
      200,
      server.pulls
        .filter((p) => p.commits.includes(rest[1]!))
        .map((p) => ({
          number: p.number,
          state: p.mergedAt ? "closed" : "open",
          head: { sha: p.headSha, ref: `pr-${p.number}` },
          merge_commit_sha: p.mergeCommitSha,
          merged_at: p.mergedAt,
        })),
    ];
  if (rest[0] === "actions" && rest[1] === "workflows" && rest[3] === "runs" && rest.length === 4) {
    const headSha = url.searchParams.get("head_sha");
    const status = url.searchParams.get("status");
    const runs = server.runs
      .filter((r) => r.workflow === rest[2])
      .filter((r) => headSha === null || r.headSha === headSha)
      .filter((r) => status === null || r.conclusion === status || r.status === status)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return [
      200,
      {
        total_count: runs.length,
        workflow_runs: runs.map((r) => ({
          id: r.id,
          head_sha: r.headSha,
          status: r.status,
          conclusion: r.conclusion,
          created_at: r.createdAt,
          html_url: `https://github.example/o/r/actions/runs/${r.id}`,
        })),
      },
    ];
  }
  if (rest[0] === "actions" && rest[1] === "runs" && rest[3] === "artifacts" && rest.length === 4) {
    const artifacts = server.artifacts.filter((a) => a.runId === Number(rest[2]));
    return [
      200,
      {
        total_count: artifacts.length,
        artifacts: artifacts.map((a) => ({
          id: a.id,
          name: a.name,
          expired: a.expired,
          size_in_bytes: a.zip.length,
        })),
      },
    ];
  }
  if (rest[0] === "actions" && rest[1] === "artifacts" && rest[3] === "zip" && rest.length === 4) {
    const artifact = server.artifacts.find((a) => a.id === Number(rest[2]));
    if (!artifact) throw new HttpError(404, { message: "Not Found" });
    if (artifact.expired) throw new HttpError(410, { message: "Artifact has expired" });
    return [302, null, { location: `${base}/_blob/${artifact.id}` }];
  }
  return null;
}
