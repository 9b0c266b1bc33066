/**
 * What the installed package says about itself: its version (for --version, the Action pin and the
 * schema URL) and its GitHub repository (where the Action and the versioned schemas live).
 */
import { readFileSync } from "node:fs";

interface PackageJson {
  version: string;
  repository?: string | { url?: string };
}

/** dist/cli/ and src/cli/ both sit two folders below the package root, where package.json is. */
const PACKAGE_JSON = new URL("../../package.json", import.meta.url);

let cached: PackageJson | undefined;

function packageJson(): PackageJson {
  cached ??= JSON.parse(readFileSync(PACKAGE_JSON, "utf8")) as PackageJson;
  return cached;
}

export function packageVersion(): string {
  return packageJson().version;
}

/** "owner/name" of the GitHub repository in package.json, e.g. for `uses: owner/name@v1.2.3`. */
export function actionRepository(): string {
  const { repository } = packageJson();
  const url = typeof repository === "string" ? repository : (repository?.url ?? "");
  const match = /github\.com[/:]([^/]+\/[^/.]+)/.exec(url);
  if (!match) throw new Error("package.json names no GitHub repository");
  return match[1]!;
}

/** The schemas of this exact version, for files outside any checkout that ships them. */
export function versionedSchemaUrl(file: string): string {
  return `https://raw.githubusercontent.com/${actionRepository()}/v${packageVersion()}/schemas/${file}`;
}
