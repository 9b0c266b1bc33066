/**
 * The Samba AD DC templates the test DCs are copied from: provisioned once per machine (and Samba
 * version) under the temp folder, with Exchange's mailNickname in the schema; a second template adds
 * Exchange's address-policy attributes for the tests that need them.
 */
import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REALM = "IDANCHOR.TEST";
export const DOMAIN = "IDANCHOR";
export const BASE_DN = "DC=idanchor,DC=test";
/** A test-only password of a throwaway domain; it satisfies Samba's complexity rules. */
export const ADMIN_PASSWORD = "Idanchor-Test-1!";
function cacheRoot(): string {
  const root = path.join(os.tmpdir(), "idanchor-samba");
  mkdirSync(root, { recursive: true });
  return root;
}

async function sambaVersion(): Promise<string> {
  try {
    const { stdout } = await run("samba", ["--version"]);
    return stdout.trim().replace(/[^\w.-]+/g, "_");
  } catch {
    throw new Error(
      "Samba AD DC is not installed (no `samba` command). Install it with: sudo bash test/support/ensure-test-tools.sh",
    );
  }
}

/**
 * Samba's schema has mail and proxyAddresses but not Exchange's mailNickname; add it as the
 * Exchange schema does (attribute + Mail-Recipient's mayContain, which users, contacts and groups
 * inherit). Offline, in two steps: the class change needs the attribute loaded.
 */
async function addExchangeAttributes(dir: string): Promise<void> {
  const schema = `CN=Schema,CN=Configuration,${BASE_DN}`;
  const steps = [
    [
      `dn: CN=ms-Exch-Mail-Nickname,${schema}`,
      "changetype: add",
      "objectClass: attributeSchema",
      "cn: ms-Exch-Mail-Nickname",
      "attributeID: 1.2.840.113556.1.2.447",
      "attributeSyntax: 2.5.5.12",
      "oMSyntax: 64",
      "isSingleValued: TRUE",
      "rangeLower: 1",
      "rangeUpper: 64",
      "lDAPDisplayName: mailNickname",
      "searchFlags: 1",
    ],
    [
      `dn: CN=Mail-Recipient,${schema}`,
      "changetype: modify",
      "add: mayContain",
      "mayContain: mailNickname",
      "-",
    ],
  ];
  await ldbModifySteps(dir, steps);
}

/** Applies LDIF steps to the database files offline, schema updates allowed; one process per step. */
async function ldbModifySteps(dir: string, steps: string[][]): Promise<void> {
  for (const step of steps) {
    const file = path.join(dir, "schema.ldif");
    writeFileSync(file, `${step.join("\n")}\n`);
    await run("ldbmodify", [
      "-H",
      path.join(dir, "private", "sam.ldb"),
      "--option=dsdb:schema update allowed=true",
      file,
    ]);
    rmSync(file);
  }
}

/**
 * The attributes on-prem Exchange's schema adds for address policies and routing, with Exchange's
 * names and syntaxes, added to Mail-Recipient as Exchange does. msExchRecipientTypeDetails has
 * Exchange's OID; the other OIDs are stand-ins under Exchange's arc (idanchor goes by lDAPDisplayName).
 */
async function addExchangePolicyAttributes(dir: string): Promise<void> {
  const schema = `CN=Schema,CN=Configuration,${BASE_DN}`;
  const attribute = (cn: string, name: string, oid: string, syntax: string, single: boolean): string[] => [
    `dn: CN=${cn},${schema}`,
    "changetype: add",
    "objectClass: attributeSchema",
    `cn: ${cn}`,
    `attributeID: ${oid}`,
    `attributeSyntax: ${{ large: "2.5.5.16", octets: "2.5.5.10" }[syntax] ?? "2.5.5.12"}`,
    `oMSyntax: ${{ large: "65", octets: "4" }[syntax] ?? "64"}`,
    `isSingleValued: ${single ? "TRUE" : "FALSE"}`,
    `lDAPDisplayName: ${name}`,
    "searchFlags: 0",
  ];
  const names = [
    "msExchPoliciesExcluded",
    "msExchPoliciesIncluded",
    "msExchRecipientTypeDetails",
    "targetAddress",
    "msExchMailboxGuid",
  ];
  await ldbModifySteps(dir, [
    attribute("ms-Exch-Policies-Excluded", names[0]!, "1.2.840.113556.1.4.7000.102.99001", "string", false),
    attribute("ms-Exch-Policies-Included", names[1]!, "1.2.840.113556.1.4.7000.102.99002", "string", false),
    attribute(
      "ms-Exch-Recipient-Type-Details",
      names[2]!,
      "1.2.840.113556.1.4.7000.102.50855",
      "large",
      true,
    ),
    attribute("ms-Exch-Target-Address", names[3]!, "1.2.840.113556.1.4.7000.102.99003", "string", true),
    attribute("ms-Exch-Mailbox-Guid", names[4]!, "1.2.840.113556.1.4.7000.102.11058", "octets", true),
    [
      `dn: CN=Mail-Recipient,${schema}`,
      "changetype: modify",
      "add: mayContain",
      ...names.map((n) => `mayContain: ${n}`),
      "-",
    ],
  ]);
}

/**
 * Makes `target` once: `build` fills a fresh folder, which is then renamed into place. Concurrent
 * callers (parallel jest workers) race harmlessly: rename is atomic, and the loser uses the winner's.
 */
async function buildOnce(
  target: string,
  prefix: string,
  build: (work: string) => Promise<void>,
): Promise<string> {
  if (existsSync(path.join(target, "ready"))) return target;
  const work = mkdtempSync(path.join(cacheRoot(), prefix));
  try {
    await build(work);
    writeFileSync(path.join(work, "ready"), "");
    try {
      renameSync(work, target);
    } catch {
      rmSync(work, { recursive: true, force: true });
    }
  } catch (error) {
    rmSync(work, { recursive: true, force: true });
    throw error;
  }
  return target;
}

/** The template with Exchange's address-policy attributes: a copy of the base one, extended once. */
export async function exchangeTemplate(): Promise<string> {
  const base = await template();
  return buildOnce(`${base}-policies2`, "extend-", async (work) => {
    cpSync(base, work, { recursive: true });
    rmSync(path.join(work, "ready"));
    await addExchangePolicyAttributes(work);
  });
}

/** Provisions the template once per Samba version. */
export async function template(): Promise<string> {
  // Bump the suffix when the template's content changes, so old caches are not reused.
  const target = path.join(cacheRoot(), `template-${await sambaVersion()}-${REALM}-exch1`);
  return buildOnce(target, "provision-", async (work) => {
    await run("samba-tool", [
      "domain",
      "provision",
      `--realm=${REALM}`,
      `--domain=${DOMAIN}`,
      "--server-role=dc",
      "--dns-backend=NONE",
      "--host-name=idanchordc",
      `--targetdir=${work}`,
      `--adminpass=${ADMIN_PASSWORD}`,
      "--option=interfaces=127.0.0.1/8",
      "--option=bind interfaces only=yes",
    ]);
    await addExchangeAttributes(work);
    writeFileSync(path.join(work, "template-dir"), work);
  });
}
