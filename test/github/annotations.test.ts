import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

import { describe, expect, it } from "@jest/globals";

import {
  annotationLines,
  escapeData,
  escapeProperty,
  formatAnnotation,
  planAnnotations,
  validationAnnotations,
} from "../../src/github/annotations.js";
import { runGithubAnnotate } from "../../src/cli/commands/github.js";
import { SETTINGS_YAML, workspaces } from "../support/files.js";
import { capture, finding, planIdentity, planOf, writePlan } from "./fixtures.js";

const workspace = workspaces();

describe("annotations (pure)", () => {
  it("escapes data and properties as GitHub's workflow commands require", () => {
    const raw = "50% done\r\nfile: a, b";

    expect(escapeData(raw)).toBe("50%25 done%0D%0Afile: a, b");
    expect(escapeProperty(raw)).toBe("50%25 done%0D%0Afile%3A a%2C b");
  });

  it("puts a plan finding on the identity's YAML line with code and key in the title", () => {
    const plan = planOf([
      planIdentity(4, {
        outcome: "blocked",
        source: { file: "identities/staff.yaml", line: 23, column: 5 },
        findings: [finding("InvalidSoftMatch")],
      }),
    ]);

    const lines = annotationLines(planAnnotations(plan));

    expect(lines).toEqual([
      "::error file=identities/staff.yaml,line=23,col=5,title=idanchor plan%3A InvalidSoftMatch (user00004)::The next sync reports InvalidSoftMatch: 50%25, a:b, c%0Ad. Fix: Change the YAML entry.",
    ]);
  });

  it("annotates a plan-wide finding without a file, and a file-level validation finding without a line", () => {
    const plan = planOf([], [finding("TenantFeaturesUnreadable", "warning")]);
    const validation = validationAnnotations([
      {
        file: "identities",
        line: 0,
        column: 0,
        severity: "error",
        code: "InvalidInput",
        message: "no files",
      },
    ]);

    const lines = annotationLines([...validation, ...planAnnotations(plan)]);

    expect(lines).toEqual([
      "::error file=identities,title=idanchor validate%3A InvalidInput::no files",
      "::warning title=idanchor plan%3A TenantFeaturesUnreadable::The next sync reports TenantFeaturesUnreadable: 50%25, a:b, c%0Ad. Fix: Change the YAML entry.",
    ]);
  });

  it("prints the first 10 errors, then a notice with how many more, and still annotates warnings", () => {
    const identities = Array.from({ length: 13 }, (_, n) =>
      planIdentity(n, { outcome: "blocked", findings: [finding("AttributeValueMustBeUnique")] }),
    );
    identities.push(planIdentity(20, { findings: [finding("UnverifiedDomain", "warning")] }));

    const lines = annotationLines(planAnnotations(planOf(identities)));

    expect(lines).toHaveLength(12);
    expect(lines.slice(0, 10).every((l) => l.startsWith("::error file=identities/staff.yaml,line="))).toBe(
      true,
    );
    expect(lines[9]).toContain("(user00009)");
    expect(lines[10]).toBe(
      "::notice title=idanchor%3A 3 more errors::13 errors in all; GitHub shows 10 per step, so 3 more are not annotated. The job summary lists every one.",
    );
    expect(lines[11]).toMatch(
      /^::warning file=identities\/staff.yaml,line=103,col=5,title=idanchor plan%3A UnverifiedDomain/,
    );
  });

  it("formats an annotation with only a message", () => {
    expect(formatAnnotation({ level: "notice", message: "a\nb" })).toBe("::notice::a%0Ab");
  });
});

describe("idanchor github annotate", () => {
  it("annotates validation findings relative to the workspace, writes the summary and fails on errors", async () => {
    const dir = workspace({
      "repo/identities/settings.yaml": SETTINGS_YAML,
      "repo/identities/staff.yaml":
        "kind: IdentityMap\nidentities:\n  - ad: x\n    cloud: x@contoso.com\n    smtp: x@@contoso.com\n",
    });
    const summary = path.join(dir, "summary.md");
    const run = capture({ GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary }, path.join(dir, "repo"));

    const code = await runGithubAnnotate({ identities: "identities" }, run.ctx);

    expect(code).toBe(1);
    expect(run.stdout()).toMatch(
      /^::error file=repo\/identities\/staff.yaml,line=5,col=11,title=idanchor validate%3A InvalidAddress::x: primary address/,
    );
    const written = readFileSync(summary, "utf8");
    expect(written).toContain("**No plan.** The desired state has errors (below)");
    expect(written).toContain("| `identities/staff.yaml:5:11` | error | `InvalidAddress` |");
  });

  it("passes on a plan with warnings only, appending the plan to an existing summary", async () => {
    const dir = workspace();
    const plan = writePlan(
      dir,
      planOf([planIdentity(1, { findings: [finding("UnverifiedDomain", "warning")] })]),
    );
    const summary = path.join(dir, "summary.md");
    writeFileSync(summary, "earlier step output\n");
    const run = capture({ GITHUB_WORKSPACE: dir, GITHUB_STEP_SUMMARY: summary }, dir);

    const code = await runGithubAnnotate({ planFile: plan }, run.ctx);

    expect(code).toBe(0);
    expect(run.stdout()).toMatch(/^::warning file=identities\/staff.yaml,line=8,col=5,/);
    const written = readFileSync(summary, "utf8");
    expect(written.startsWith("earlier step output\n### idanchor plan\n")).toBe(true);
    expect(written).not.toContain("<!-- idanchor:plan -->");
  });
});
