import { describe, expect, it } from "@jest/globals";

import { counterFor, progressFor } from "../../src/cli/progress.js";

function stream(isTTY: boolean): { write: (s: string) => void; isTTY: boolean; text: () => string } {
  let text = "";
  return { write: (s) => void (text += s), isTTY, text: () => text };
}

describe("progress on stderr", () => {
  it("counts in place on a terminal and ends the line", () => {
    const tty = stream(true);

    const counter = counterFor(tty, "Writing", 2);
    counter.tick();
    counter.tick();
    counter.done();

    expect(tty.text()).toBe("\rWriting: 1/2\rWriting: 2/2\n");
  });

  it("says nothing when the output is a pipe or a log", async () => {
    const pipe = stream(false);

    const counter = counterFor(pipe, "Writing", 2);
    counter.tick();
    counter.done();
    const value = await progressFor(pipe).step(
      "Reading",
      () => Promise.resolve(3),
      (n) => `${n} objects`,
    );

    expect(pipe.text()).toBe("");
    expect(value).toBe(3);
  });

  it("names each step when it starts and, with its result and time, when it ends", async () => {
    const tty = stream(true);
    let clock = 0;

    await progressFor(tty, () => (clock += 1500)).step(
      "Reading AD",
      () => Promise.resolve(7),
      (n) => `${n} objects`,
    );

    expect(tty.text()).toBe("Reading AD...\nReading AD: 7 objects (1.5 s)\n");
  });
});
