#!/usr/bin/env node
// The GitHub Action's entry point (see action.yml): inputs arrive as INPUT_* variables.
import { runAction } from "../dist/cli/action.js";

process.exitCode = await runAction({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
