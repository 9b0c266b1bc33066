/** The is_email corpus (an outside oracle) against our SMTP address validator: every verdict must hold. */
import { readFileSync } from "node:fs";

import { describe, expect, it } from "@jest/globals";
import { XMLParser } from "fast-xml-parser";

import { checkSmtpAddress, MAX_LOCAL_PART, MAX_PROXY_VALUE } from "../../src/address/smtp.js";

interface OracleCase {
  id: string;
  address: string;
  category: string;
  diagnosis: string;
}

const CORPUS = new URL("../fixtures/isemail/tests.xml", import.meta.url);

function loadCorpus(): OracleCase[] {
  const xml = readFileSync(CORPUS, "utf8");
  const parsed = new XMLParser({ ignoreAttributes: false, parseTagValue: false, trimValues: false }).parse(
    xml,
  ) as {
    tests: { test: { "@_id": string; address: string | number; category: string; diagnosis: string }[] };
  };
  // The corpus writes control characters as U+2400 + code; map them back.
  const unescape = (s: string): string =>
    s.replace(/[\u2400-\u241f]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x2400));
  return parsed.tests.test.map((t) => ({
    id: t["@_id"],
    address: unescape(String(t.address ?? "")),
    category: t.category,
    diagnosis: t.diagnosis,
  }));
}

function expectedVerdict(c: OracleCase): "accept" | "InvalidAddress" | "AddressTooLong" {
  if (c.category !== "ISEMAIL_VALID_CATEGORY" && c.category !== "ISEMAIL_DNSWARN") return "InvalidAddress";
  const local = c.address.slice(0, c.address.lastIndexOf("@"));
  if (local.length > MAX_LOCAL_PART || `SMTP:${c.address}`.length > MAX_PROXY_VALUE) return "AddressTooLong";
  return "accept";
}

const corpus = loadCorpus();

describe("is_email corpus", () => {
  it("holds the 164 cases the oracle's README promises", () => {
    expect(corpus).toHaveLength(164);
  });

  it.each(corpus.map((c) => [c.id, JSON.stringify(c.address), c.diagnosis, c] as const))(
    "case %s %s (%s)",
    (_id, _shown, _diagnosis, c) => {
      const expected = expectedVerdict(c);

      const problem = checkSmtpAddress(c.address);

      if (expected === "accept") expect(problem).toBeUndefined();
      else if (expected === "AddressTooLong") expect(problem?.code).toBe("AddressTooLong");
      else expect(problem).toBeDefined();
    },
  );
});
