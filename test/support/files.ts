import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

import { afterEach } from "@jest/globals";

/** A temporary folder with the given files; remove() deletes it. */
export function tempDir(files: Record<string, string | Buffer> = {}): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), "idanchor-test-"));
  for (const [name, content] of Object.entries(files)) {
    const full = path.join(dir, name);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A `workspace(files)` maker whose folders are removed after each test; call it once per test file. */
export function workspaces(): (files?: Record<string, string | Buffer>) => string {
  const cleanups: (() => void)[] = [];
  afterEach(() => cleanups.splice(0).forEach((remove) => remove()));
  return (files = {}) => {
    const t = tempDir(files);
    cleanups.push(t.remove);
    return t.dir;
  };
}

export const SETTINGS_YAML = `kind: Settings
activeDirectory:
  url: ldaps://dc01.corp.contoso.com
  baseDN: DC=corp,DC=contoso,DC=com
  syncScope: ["OU=Staff,DC=corp,DC=contoso,DC=com"]
entra:
  tenantId: 4f2b9a1c-6d0e-4c3b-9a57-2f1e8d7c6b5a
  clientId: 9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d
  verifiedDomains: [contoso.com, contoso.onmicrosoft.com]
`;
