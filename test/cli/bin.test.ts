/** The installed bin, as a shell runs it. */
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "@jest/globals";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("bin/idanchor.js", () => {
  it("a reader that closes the pipe early ends the output quietly, and the exit code still counts", () => {
    const plan =
      "node bin/idanchor.js plan --ad-snapshot examples/contoso/ad.ldif --entra-snapshot examples/contoso/entra.json --format json";

    const run = spawnSync("bash", ["-c", `${plan} | true; echo "exit \${PIPESTATUS[0]}"`], {
      cwd: ROOT,
      encoding: "utf8",
    });

    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("exit 1\n");
  });
});
