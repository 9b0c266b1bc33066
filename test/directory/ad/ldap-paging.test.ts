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

/** Reads everything, recording the size of every page the server sent. */
async function pagedRead(pageSize?: number): Promise<{ state: AdState; pages: number[]; ms: number }> {
  const pages: number[] = [];
  const logger: Logger = {
    debug: (message, fields) => {
      if (message === "ad page read") pages.push(fields?.entries as number);
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

describe("paged read", () => {
  it(`reads ${COUNT} contacts in pages of at most 1000 (the default page size)`, async () => {
    const { state, pages, ms } = await pagedRead();

    const contacts = state.objects.filter((o) => inSyncScope(o.dn, [bulk]));
    expect(contacts).toHaveLength(COUNT);
    expect(new Set(contacts.map((o) => o.objectGuid)).size).toBe(COUNT);
    expect(contacts.every((o) => o.type === "contact" && o.proxyAddresses[0] === `SMTP:${o.mail}`)).toBe(
      true,
    );
    expect(pages.length).toBe(Math.ceil(state.objects.length / 1000));
    expect(Math.max(...pages)).toBe(1000);
    expect(pages.reduce((a, b) => a + b, 0)).toBe(state.objects.length);
    expect(ms).toBeLessThan(10_000);
  });

  it("asks for the page size it is given, and the result does not depend on it", async () => {
    const big = await pagedRead();

    const small = await pagedRead(300);

    expect(small.pages.length).toBe(Math.ceil(small.state.objects.length / 300));
    expect(Math.max(...small.pages)).toBe(300);
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
