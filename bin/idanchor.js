#!/usr/bin/env node
import { main } from "../dist/cli/main.js";

// `idanchor plan | head` closes the pipe early: the rest of the output has nowhere to go, which is
// no crash, and the command still finishes with its own exit code.
for (const stream of [process.stdout, process.stderr])
  stream.on("error", (error) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return;
    throw error;
  });

process.exitCode = await main(process.argv.slice(2), {
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  stdin: process.stdin,
});

// A request abandoned at its deadline (doctor goes on without it) may hold a socket open: the answer
// is given, so leave shortly after, whatever is still pending. Output to pipes and files is
// written synchronously on Linux, so nothing printed is lost.
setTimeout(() => process.exit(), 500).unref();
