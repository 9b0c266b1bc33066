/**
 * Finds the plan the reviewers saw for a commit on main: the pull request merged as that commit,
 * then the plan artifact of the latest successful run of the plan workflow on its head commit.
 * Every "not found" is a NoReviewedPlan with what to do, never an empty plan.
 */
import { readZipEntries } from "./artifact-zip.js";

export interface MergedPullRequest {
  number: number;
  headSha: string;
  mergeCommitSha: string | null;
  merged: boolean;
}

export interface WorkflowRun {
  id: number;
  headSha: string;
  conclusion: string | null;
  createdAt: string;
  htmlUrl: string;
}

export interface Artifact {
  id: number;
  name: string;
  expired: boolean;
}

/** The slice of the GitHub Actions REST API the fetch uses. */
export interface GithubActionsApi {
  pullRequestsOfCommit(sha: string): Promise<MergedPullRequest[]>;
  successfulRuns(workflow: string, headSha: string): Promise<WorkflowRun[]>;
  runArtifacts(runId: number): Promise<Artifact[]>;
  downloadArtifact(artifactId: number): Promise<Buffer>;
}

export class NoReviewedPlan extends Error {
  override readonly name = "NoReviewedPlan";
}

export interface ReviewedPlan {
  pullRequest: number;
  headSha: string;
  runId: number;
  runUrl: string;
  /** The plan file's bytes as the plan check saved them. */
  plan: Buffer;
}

const HOW =
  "nothing will be applied. Open a pull request for the change so the plan check runs and is reviewed; " +
  "in an emergency, run the apply workflow by hand with plan-and-apply: true (recorded as not reviewed)";

export async function fetchReviewedPlan(
  api: GithubActionsApi,
  commit: string,
  options: { workflow: string; artifactPrefix: string; planFile: string },
): Promise<ReviewedPlan> {
  const pulls = await api.pullRequestsOfCommit(commit);
  const pr = pulls.find((p) => p.merged && p.mergeCommitSha === commit);
  if (!pr)
    throw new NoReviewedPlan(
      `no merged pull request has ${commit} as its merge commit (pushed straight to main?): ${HOW}`,
    );
  const runs = (await api.successfulRuns(options.workflow, pr.headSha))
    .filter((r) => r.headSha === pr.headSha && r.conclusion === "success")
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  const run = runs[0];
  if (!run)
    throw new NoReviewedPlan(
      `pull request #${pr.number}: no successful run of ${options.workflow} on its head commit ${pr.headSha} (the plan check never ran or failed): ${HOW}`,
    );
  const name = `${options.artifactPrefix}${pr.number}`;
  const artifact = (await api.runArtifacts(run.id)).find((a) => a.name === name);
  if (!artifact || artifact.expired)
    throw new NoReviewedPlan(
      `pull request #${pr.number}: run ${run.htmlUrl} has ${artifact ? "an expired" : "no"} artifact '${name}': ${HOW}`,
    );
  const entries = readZipEntries(await api.downloadArtifact(artifact.id));
  const plan = entries.get(options.planFile);
  if (!plan)
    throw new NoReviewedPlan(
      `pull request #${pr.number}: artifact '${name}' holds no ${options.planFile} (the plan failed before it was saved): ${HOW}`,
    );
  return { pullRequest: pr.number, headSha: pr.headSha, runId: run.id, runUrl: run.htmlUrl, plan };
}
