/**
 * The paged read of 2,000 objects. Samba does not cap unpaged searches as AD does (MaxPageSize
 * 1000), so paging is proven through the client: the pages the server returned, each no larger
 * than the requested page size.
 */
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";

import { openLdap } from "../../../src/directory/ad/index.js";
import type { AdState } from "../../../src/model/directory.js";
import { DirectoryError } from "../../../src/model/errors.js";
import type { Logger } from "../../../src/model/log.js";
import { inSyncScope } from "../../../src/plan/sync-object.js";
import { startSambaDc, type SambaDc } from "../../support/samba.js";
import { seedBulkContacts } from "../../support/samba-seed.js";
import { startTcpProxy } from "../../support/tcp-proxy.js";

const COUNT = 2000;

let dc: SambaDc;
let bulk: string;

beforeAll(async () => {
  dc = await startSambaDc();
  bulk = `OU=Bulk,${dc.baseDN}`;
  await seedBulkContacts(dc, bulk, COUNT);
}, 90_000);

afterAll(async () => {
  await dc?.stop();
});

interface Page {
  /** The part of the selection the page belongs to: each part is a paged search of its own. */
  objects: string;
  entries: number;
}

/** Reads everything, recording the size of every page the server sent. */
async function pagedRead(pageSize?: number): Promise<{ state: AdState; pages: Page[]; ms: number }> {
  const pages: Page[] = [];
  const logger: Logger = {
    debug: (message, fields) => {
      if (message === "ad page read")
        pages.push({ objects: fields?.objects as string, entries: fields?.entries as number });
    },
    info: () => undefined,
    warn: () => undefined,
  };
  const ldap = await openLdap({
    settings: dc.settings({ syncScope: [bulk] }),
    settingsDir: dc.dir,
    env: dc.env,
    logger,
    pageSize,
  });
  const started = Date.now();
  const state = await ldap.readAll();
  const ms = Date.now() - started;
  await ldap.close();
  return { state, pages, ms };
}

/** Each part was read in pages of `size`: all full but its last, and they add up to what was read. */
function expectPagesOf(pages: Page[], size: number, objects: number): void {
  const parts = new Map<string, number[]>();
  for (const page of pages) parts.set(page.objects, [...(parts.get(page.objects) ?? []), page.entries]);
  for (const all of parts.values()) {
    // Samba ends a part whose size is a multiple of the page size with an empty page.
    const sizes = all.length > 1 && all.at(-1) === 0 ? all.slice(0, -1) : all;
    const total = sizes.reduce((a, b) => a + b, 0);
    expect(sizes).toHaveLength(Math.max(1, Math.ceil(total / size)));
    expect(sizes.slice(0, -1).every((entries) => entries === size)).toBe(true);
    expect(sizes.at(-1)).toBeLessThanOrEqual(size);
  }
  expect(pages.reduce((sum, page) => sum + page.entries, 0)).toBe(objects);
}

describe("paged read", () => {
  it(`reads ${COUNT} contacts in pages of at most 1000 (the default page size)`, async () => {
    const { state, pages, ms } = await pagedRead();

    const contacts = state.objects.filter((o) => inSyncScope(o.dn, [bulk]));
    expect(contacts).toHaveLength(COUNT);
    expect(new Set(contacts.map((o) => o.objectGuid)).size).toBe(COUNT);
    expect(contacts.every((o) => o.type === "contact" && o.proxyAddresses[0] === `SMTP:${o.mail}`)).toBe(
      true,
    );
    expectPagesOf(pages, 1000, state.objects.length);
    // The 2,000 contacts are a part of their own: two full pages.
    const contactPages = pages.filter((page) => page.objects === "contacts");
    expect(contactPages.slice(0, 2).map((page) => page.entries)).toEqual([1000, 1000]);
    expect(ms).toBeLessThan(10_000);
  });

  it("asks for the page size it is given, and the result does not depend on it", async () => {
    const big = await pagedRead();

    const small = await pagedRead(300);

    expectPagesOf(small.pages, 300, small.state.objects.length);
    expect(Math.max(...small.pages.map((page) => page.entries))).toBe(300);
    expect(small.state).toEqual(big.state);
  });

  it("fails the whole read when the connection drops between pages, and the next read starts over", async () => {
    const proxy = await startTcpProxy({ host: dc.ip, port: 636 });
    const ldap = await openLdap({
      settings: dc.settings({ url: `ldaps://${dc.ip}:${proxy.port}`, syncScope: [bulk] }),
      settingsDir: dc.dir,
      env: dc.env,
      pageSize: 500,
    });
    proxy.cutAfter(2); // the first two page requests pass, the third is cut

    const failed = await ldap.readAll().catch((error: unknown) => error);
    const again = await ldap.readAll();
    await ldap.close();
    await proxy.close();

    expect(failed).toBeInstanceOf(DirectoryError);
    expect((failed as Error).message).toMatch(
      /^reading DC=idanchor,DC=test on ldaps:\/\/.* failed: the connection was/,
    );
    expect(proxy.cuts).toBe(1);
    expect(again.objects.filter((o) => inSyncScope(o.dn, [bulk]))).toHaveLength(COUNT);
  });
});
