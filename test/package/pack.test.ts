/**
 * The package as a user gets it: `npm pack` of a clean copy of the repository (prepack builds
 * dist/), the tarball installed into an empty project with `npm ci` from a lock there, and the
 * installed bin run for --version, init, validate and plan. Only npm's local cache is used
 * (--offline): the project's own `npm ci` has put every dependency's tarball there.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import type { Plan } from "../../src/plan/types.js";
import { tempDir } from "../support/files.js";
import { INIT_FLAGS } from "../support/init-flags.js";

const REPO = path.resolve(new URL("../..", import.meta.url).pathname);
const NPM_ENV = {
  ...process.env,
  npm_config_audit: "false",
  npm_config_fund: "false",
  npm_config_update_notifier: "false",
};

interface PackedFile {
  path: string;
}
interface LockEntry {
  dev?: boolean;
  [key: string]: unknown;
}

let work: ReturnType<typeof tempDir>;
let files: string[];
let project: string;
let tarball: string;
let packageJson: { version: string; dependencies: Record<string, string>; engines: Record<string, string> };

/** The adopter's lock: idanchor from the tarball, and the runtime packages exactly as this repository pins them. */
function adopterLock(tarballName: string, tarballBytes: Buffer): object {
  const ours = JSON.parse(readFileSync(path.join(REPO, "package-lock.json"), "utf8")) as {
    packages: Record<string, LockEntry>;
  };
  const packages: Record<string, unknown> = {
    "": { name: "adopter", version: "1.0.0", dependencies: { idanchor: `file:${tarballName}` } },
    "node_modules/idanchor": {
      version: packageJson.version,
      resolved: `file:${tarballName}`,
      integrity: `sha512-${createHash("sha512").update(tarballBytes).digest("base64")}`,
      license: "MIT",
      dependencies: packageJson.dependencies,
      bin: { idanchor: "bin/idanchor.js" },
      engines: packageJson.engines,
    },
  };
  for (const [key, entry] of Object.entries(ours.packages))
    if (key !== "" && entry.dev !== true) packages[key] = entry;
  return { name: "adopter", version: "1.0.0", lockfileVersion: 3, requires: true, packages };
}

function installed(args: string[]) {
  return spawnSync(path.join(project, "node_modules", ".bin", "idanchor"), args, {
    cwd: project,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "" },
  });
}

beforeAll(() => {
  work = tempDir();
  packageJson = JSON.parse(readFileSync(path.join(REPO, "package.json"), "utf8")) as typeof packageJson;
  // A clean copy of what git holds (as a clone has it): no dist/, so prepack must build it.
  const source = path.join(work.dir, "source");
  for (const file of execFileSync("git", ["ls-files"], { cwd: REPO, encoding: "utf8" })
    .split("\n")
    .filter(Boolean)) {
    mkdirSync(path.dirname(path.join(source, file)), { recursive: true });
    cpSync(path.join(REPO, file), path.join(source, file));
  }
  symlinkSync(path.join(REPO, "node_modules"), path.join(source, "node_modules"), "dir");
  const packed = JSON.parse(
    execFileSync("npm", ["pack", "--json", "--pack-destination", work.dir], {
      stdio: ["ignore", "pipe", "pipe"],
      cwd: source,
      encoding: "utf8",
      env: NPM_ENV,
    }),
  ) as { filename: string; files: PackedFile[] }[];
  files = packed[0]!.files.map((f) => f.path);
  tarball = path.join(work.dir, packed[0]!.filename);

  project = path.join(work.dir, "adopter");
  mkdirSync(project);
  const name = path.relative(project, tarball);
  writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({
      name: "adopter",
      version: "1.0.0",
      private: true,
      dependencies: { idanchor: `file:${name}` },
    }),
  );
  writeFileSync(
    path.join(project, "package-lock.json"),
    JSON.stringify(adopterLock(name, readFileSync(tarball))),
  );
  execFileSync("npm", ["ci", "--offline"], { cwd: project, env: NPM_ENV, stdio: "pipe" });
}, 300_000);

afterAll(() => work?.remove());

describe("the npm package", () => {
  it("holds dist, bin, schemas, templates, action.yml, README and LICENSE, and no tests or sources", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "bin/idanchor.js",
        "bin/idanchor-action.js",
        "dist/cli/main.js",
        "dist/cli/action.js",
        "dist/desired/schema-validators.cjs",
        "schemas/settings.schema.json",
        "schemas/identity-map.schema.json",
        "templates/workflows/idanchor-plan.yml",
        "action.yml",
        "README.md",
        "LICENSE",
        "package.json",
      ]),
    );
    expect(files.filter((f) => /^(test|bench|src|\.ci|\.github|examples)\//.test(f))).toEqual([]);
  });

  it("ships validators compiled from exactly the schema texts it ships", () => {
    const installedDir = path.join(project, "node_modules", "idanchor");
    const module = readFileSync(path.join(installedDir, "dist/desired/schema-validators.cjs"), "utf8");
    const listed = /^exports\.schemas = (.*);$/m.exec(module);
    const schemas = JSON.parse(listed?.[1] ?? "[]") as { file: string; digest: string }[];

    expect(schemas.map((s) => s.file).sort()).toEqual(
      files
        .filter((f) => f.startsWith("schemas/"))
        .map((f) => f.slice("schemas/".length))
        .sort(),
    );
    for (const { file, digest } of schemas) {
      const text = readFileSync(path.join(installedDir, "schemas", file));
      expect(digest).toBe(`sha256:${createHash("sha256").update(text).digest("hex")}`);
    }
  });

  it("the installed bin prints its version", () => {
    const run = installed(["--version"]);

    expect(run.stderr).toBe("");
    expect(run).toMatchObject({ status: 0, stdout: `${packageJson.version}\n` });
  });

  it("npx idanchor --version runs the installed package", () => {
    const run = spawnSync("npx", ["--offline", "idanchor", "--version"], {
      cwd: project,
      encoding: "utf8",
      env: NPM_ENV,
    });

    expect(run).toMatchObject({ status: 0, stdout: `${packageJson.version}\n` });
  });

  it("the installed bin runs init, validate and plan on the demo snapshots", () => {
    const ad = path.join(REPO, "examples/contoso/ad.ldif");
    const entra = path.join(REPO, "examples/contoso/entra.json");
    cpSync(ad, path.join(project, "ad.ldif"));
    cpSync(entra, path.join(project, "entra.json"));

    const init = installed([...INIT_FLAGS, "--from-snapshots", "ad.ldif", "entra.json"]);
    const validate = installed(["validate"]);
    const plan = installed([
      "plan",
      "--ad-snapshot",
      "ad.ldif",
      "--entra-snapshot",
      "entra.json",
      "--format",
      "json",
    ]);

    expect(init.stderr).toBe("");
    expect(init.status).toBe(0);
    expect(init.stdout).toContain("wrote .github/workflows/idanchor-plan.yml");
    // Installed under the project: the schema line is a path into node_modules/idanchor.
    expect(readFileSync(path.join(project, "identities/settings.yaml"), "utf8").split("\n")[0]).toBe(
      "# yaml-language-server: $schema=../node_modules/idanchor/schemas/settings.schema.json",
    );
    expect(validate).toMatchObject({ status: 0, stdout: "valid: 2 files, 5 identities\n" });
    // 1: the demo's vpatel joins a cloud user that has its own mailbox (DuplicateMailbox), the rest are changes.
    expect(plan.status).toBe(1);
    const parsed = JSON.parse(plan.stdout) as Plan;
    expect(parsed.identities.map((i) => [i.key, i.outcome])).toContainEqual(["bjones", "joined"]);
    expect(parsed.summary.changes).toBeGreaterThan(0);
  });
});
