import { describe, expect, it } from "@jest/globals";

import { pullRequestNumber, readActionsContext, requireApiAccess } from "../../src/github/context.js";

describe("Actions context", () => {
  it("reads repository, API URL, run link and token from the env object", () => {
    const env = {
      GITHUB_REPOSITORY: "contoso/identities",
      GITHUB_API_URL: "https://ghe.contoso.com/api/v3/",
      GITHUB_SERVER_URL: "https://ghe.contoso.com",
      GITHUB_RUN_ID: "77",
      GH_TOKEN: "ghs_fromGhToken",
      GITHUB_STEP_SUMMARY: "/tmp/summary",
    };

    const actions = readActionsContext(env);

    expect(actions).toMatchObject({
      repository: { owner: "contoso", repo: "identities" },
      apiUrl: "https://ghe.contoso.com/api/v3",
      runUrl: "https://ghe.contoso.com/contoso/identities/actions/runs/77",
      token: "ghs_fromGhToken",
      summaryFile: "/tmp/summary",
      commentAuthor: null,
    });
  });

  it("defaults to github.com and says how to provide a missing token or repository", () => {
    const actions = readActionsContext({ GITHUB_REPOSITORY: "not a repo" });

    expect(actions.apiUrl).toBe("https://api.github.com");
    expect(actions.repository).toBeNull();
    expect(() => requireApiAccess(actions)).toThrow("GITHUB_TOKEN is not set");
    expect(() => requireApiAccess({ ...actions, token: "t" })).toThrow("GITHUB_REPOSITORY is not set");
  });

  it("finds the pull request of pull_request and issue_comment events, not of issues or pushes", () => {
    expect(pullRequestNumber({ pull_request: { number: 12 } })).toBe(12);
    expect(pullRequestNumber({ issue: { number: 5, pull_request: { url: "u" } } })).toBe(5);
    expect(pullRequestNumber({ issue: { number: 5 } })).toBeNull();
    expect(pullRequestNumber({ ref: "refs/heads/main" })).toBeNull();
    expect(pullRequestNumber({ pull_request: { number: "12" } })).toBeNull();
  });
});
