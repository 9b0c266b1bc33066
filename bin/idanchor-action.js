#!/usr/bin/env node
// The GitHub Action's entry point (see action.yml): inputs arrive as INPUT_* variables.
import { runAction } from "../dist/cli/action.js";

process.exitCode = await runAction({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});

// A request abandoned at its deadline (doctor goes on without it) may hold a socket open: the answer
// is given, so leave shortly after, whatever is still pending. Output to pipes and files is
// written synchronously on Linux, so nothing printed is lost.
setTimeout(() => process.exit(), 500).unref();
