/**
 * The live AD adapter: reads users, contacts and groups with a paged search, looks up single
 * objects with escaped filters, and writes addresses with compare-and-set. After a lost
 * connection the next call connects and binds again, so a rerun can converge.
 */
import { AndFilter, EqualityFilter, FilterParser, type Client, type Filter } from "ldapts";

import { guidToBytes, isGuid } from "../../address/guid.js";
import type { AdAddressWrite, AdValues, ApplyPorts, WriteOutcome } from "../../model/ports.js";
import type { AdRef } from "../../desired/types.js";
import type { ActiveDirectorySettings } from "../../desired/settings.js";
import { DirectoryError, InputError } from "../../model/errors.js";
import { silentLogger, type Logger } from "../../model/log.js";
import type { AdObject, AdSource, AdState } from "../../model/directory.js";
import { DnSyntaxError, isWithin } from "../../model/dn.js";
import { equalityFilter, SELECTION_FILTER, selectionParts } from "./filter.js";
import {
  connectAndBind,
  connectionPlan,
  messageOf,
  networkReason,
  type ConnectionPlan,
} from "./ldap-connect.js";
import { searchOnce, searchPaged } from "./ldap-read.js";
import { addOutcome, addressChanges, writeOutcome } from "./ldap-write.js";
import {
  AD_ATTRIBUTES,
  EntryProblem,
  EXCHANGE_ATTRIBUTES,
  EXCHANGE_SCHEMA_MARKER,
  toAdObject,
  toAdState,
  type RawEntry,
} from "./to-ad-object.js";

export interface LdapConnectOptions {
  settings: ActiveDirectorySettings;
  /** Folder of the Settings file: a relative caFile resolves against it. */
  settingsDir: string;
  /** Where the bind DN and password are read from (the variables the Settings name). */
  env: Record<string, string | undefined>;
  logger?: Logger;
  /** Connect and operation timeout; the default keeps "DC unreachable" under 10 s. */
  timeoutMs?: number;
  /** Entries per page of the paged search (default 1000, AD's MaxPageSize). */
  pageSize?: number;
  /**
   * Request proxyAddresses in slices of this many values, as AD does beyond MaxValRange (1500).
   * Unset, the server decides; tests set it to exercise range retrieval against Samba.
   */
  rangeSize?: number;
}

type AdPort = ApplyPorts["ad"];

/** A bound LDAP connection: reads the whole directory (AdSource), and is apply's AD port. */
export class LdapDirectory implements AdSource, AdPort {
  readonly description: string;
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  /** The Exchange attributes the schema has, looked up once (see exchangeAttributes). */
  private exchange: Promise<string[]> | undefined;

  private constructor(
    private readonly plan: ConnectionPlan,
    private readonly settings: ActiveDirectorySettings,
    private readonly logger: Logger,
    private readonly pageSize: number,
    private readonly rangeSize: number | undefined,
  ) {
    this.description = `Active Directory ${plan.url} (${settings.baseDN})`;
  }

  /** Checks Settings and credentials, connects and binds; throws InputError or DirectoryError. */
  static async open(options: LdapConnectOptions): Promise<LdapDirectory> {
    const plan = connectionPlan(options.settings, options.settingsDir, options.env, options.timeoutMs);
    const pageSize = options.pageSize ?? 1000;
    if (!Number.isInteger(pageSize) || pageSize < 1)
      throw new InputError(`page size ${pageSize} is not a positive integer`);
    const directory = new LdapDirectory(
      plan,
      options.settings,
      options.logger ?? silentLogger,
      pageSize,
      options.rangeSize,
    );
    await directory.connection();
    return directory;
  }

  /** The bound client; a new connection and bind when the last one was lost. */
  private async connection(): Promise<Client> {
    if (this.client?.isConnected) return this.client;
    this.client = undefined;
    this.connecting ??= connectAndBind(this.plan).finally(() => (this.connecting = undefined));
    this.client = await this.connecting;
    this.logger.debug("ad bound", { url: this.plan.url, bindDn: this.plan.bindDn });
    return this.client;
  }

  /** Our own errors pass through; anything else becomes a DirectoryError saying what failed, where. */
  private failure(action: string, error: unknown): DirectoryError | InputError {
    if (error instanceof DirectoryError || error instanceof InputError) return error;
    const reason = networkReason(error, this.plan.timeoutMs) ?? messageOf(error);
    return new DirectoryError("ad", `${action} on ${this.plan.url} failed: ${reason}`, { cause: error });
  }

  /**
   * Which of on-prem Exchange's attributes the schema defines: one search of the schema naming
   * context, once per directory. Only those are requested, so a forest without Exchange reads as before.
   */
  private exchangeAttributes(client: Client): Promise<string[]> {
    this.exchange ??= (async () => {
      const { searchEntries: root } = await client.search("", {
        scope: "base",
        filter: "(objectClass=*)",
        attributes: ["schemaNamingContext"],
      });
      const schema = root[0]?.schemaNamingContext;
      if (typeof schema !== "string") return [];
      const { searchEntries } = await client.search(schema, {
        scope: "one",
        filter: `(|${EXCHANGE_ATTRIBUTES.map((a) => `(lDAPDisplayName=${a})`).join("")})`,
        attributes: ["lDAPDisplayName"],
      });
      const found = new Set(searchEntries.map((e) => String(e.lDAPDisplayName).toLowerCase()));
      const present = EXCHANGE_ATTRIBUTES.filter((a) => found.has(a.toLowerCase()));
      this.logger.debug("ad exchange schema", { attributes: present.join(",") || "none" });
      return present;
    })().catch((error: unknown) => {
      this.exchange = undefined; // a cut connection: look again next time
      throw error;
    });
    return this.exchange;
  }

  /**
   * Half the DC's highestCommittedUSN, where the users are cut in two parts (selectionParts), or
   * undefined when the root DSE does not say.
   */
  private async usnMidpoint(client: Client): Promise<number | undefined> {
    const { searchEntries } = await client.search("", {
      scope: "base",
      filter: "(objectClass=*)",
      attributes: ["highestCommittedUSN"],
    });
    const highest = Number(searchEntries[0]?.highestCommittedUSN);
    return Number.isSafeInteger(highest) && highest > 1 ? Math.floor(highest / 2) : undefined;
  }

  private async attributes(client: Client): Promise<{ names: string[]; exchangeSchema: boolean }> {
    const exchange = await this.exchangeAttributes(client);
    const base: string[] = this.rangeSize
      ? AD_ATTRIBUTES.map((a) => (a === "proxyAddresses" ? `${a};range=0-${this.rangeSize! - 1}` : a))
      : [...AD_ATTRIBUTES];
    return { names: [...base, ...exchange], exchangeSchema: exchange.includes(EXCHANGE_SCHEMA_MARKER) };
  }

  private map(entries: RawEntry[], exchangeSchema: boolean): AdObject[] {
    const out: AdObject[] = [];
    for (const entry of entries) {
      try {
        const object = toAdObject(entry, exchangeSchema);
        if (object) out.push(object);
      } catch (error) {
        if (error instanceof EntryProblem)
          throw new DirectoryError("ad", `${this.plan.url}: ${error.message}`);
        throw error;
      }
    }
    return out;
  }

  /**
   * The selection read in parts (selectionParts), each a paged search on its own connection and
   * all at the same time, each part given to `convert` as soon as it is complete; the results are
   * joined in the parts' order. A paged search waits for each page before it asks for the next, so
   * one search leaves the DC idle while the entries are decoded here and this side idle while the
   * DC gathers a page; the parts fill each other's gaps.
   */
  private async readParts<T>(
    convert: (entries: RawEntry[], exchangeSchema: boolean) => T[],
  ): Promise<{ items: T[]; exchangeSchema: boolean }> {
    const extra: Client[] = [];
    try {
      const client = await this.connection();
      const { names, exchangeSchema } = await this.attributes(client);
      const parts = selectionParts(await this.usnMidpoint(client));
      const opened = parts.slice(1).map(() => connectAndBind(this.plan));
      const bound = await Promise.allSettled(opened);
      for (const result of bound) if (result.status === "fulfilled") extra.push(result.value);
      const refused = bound.find((result) => result.status === "rejected");
      if (refused) throw refused.reason;
      const clients = [client, ...extra];
      const read = await Promise.all(
        parts.map(async (part, index) =>
          convert(
            await searchPaged(
              clients[index]!,
              { base: this.settings.baseDN, scope: "sub", filter: part.filter, attributes: names },
              this.pageSize,
              (page, count) =>
                this.logger.debug("ad page read", {
                  objects: part.name,
                  page,
                  entries: count,
                  pageSize: this.pageSize,
                }),
            ),
            exchangeSchema,
          ),
        ),
      );
      return { items: read.flat(), exchangeSchema };
    } catch (error) {
      throw this.failure(`reading ${this.settings.baseDN}`, error);
    } finally {
      await Promise.all(extra.map((client) => client.unbind().catch(() => undefined)));
    }
  }

  /** The raw entries readAll maps (for `export ad`): the same searches, the same attributes. */
  async readEntries(): Promise<{ entries: RawEntry[]; exchangeSchema: boolean }> {
    const { items, exchangeSchema } = await this.readParts((entries) => entries);
    return { entries: items, exchangeSchema };
  }

  /** Every user, contact and group under the base DN. Never a partial state: any failure throws. */
  async readAll(): Promise<AdState> {
    const started = Date.now();
    try {
      // Each part is mapped as it completes, while the others are still being read.
      const { items, exchangeSchema } = await this.readParts((entries, exchange) =>
        this.map(entries, exchange),
      );
      const state = toAdState(items, exchangeSchema);
      this.logger.debug("ad read", { objects: state.objects.length, ms: Date.now() - started });
      return state;
    } catch (error) {
      throw this.failure(`reading ${this.settings.baseDN}`, error);
    }
  }

  /** One user, contact or group by sAMAccountName, DN or GUID; null when there is none in the base DN. */
  async findObject(ref: AdRef): Promise<AdObject | null> {
    let base = this.settings.baseDN;
    let scope: "base" | "sub" = "sub";
    let filter: Filter = FilterParser.parseString(SELECTION_FILTER);
    if (ref.kind === "sam") {
      // No AD name holds NUL; servers read the value as a C string and would match the part before it.
      if (ref.sam.includes("\0")) return null;
      filter = new AndFilter({
        filters: [filter, FilterParser.parseString(equalityFilter("sAMAccountName", ref.sam))],
      });
    } else if (ref.kind === "guid") {
      if (!isGuid(ref.guid)) return null;
      // A Buffer value goes out as raw bytes; a string filter cannot carry bytes above 0x7f through ldapts.
      filter = new AndFilter({
        filters: [filter, new EqualityFilter({ attribute: "objectGUID", value: guidToBytes(ref.guid) })],
      });
    } else {
      try {
        if (!isWithin(ref.dn, this.settings.baseDN)) return null;
      } catch (error) {
        if (error instanceof DnSyntaxError) return null;
        throw error;
      }
      base = ref.dn;
      scope = "base";
    }
    try {
      const client = await this.connection();
      const { names, exchangeSchema } = await this.attributes(client);
      const found = this.map(
        await searchOnce(client, { base, scope, filter, attributes: names }),
        exchangeSchema,
      );
      if (found.length > 1)
        throw new DirectoryError(
          "ad",
          `${JSON.stringify(ref)} matches ${found.length} objects in ${this.settings.baseDN}`,
        );
      return found[0] ?? null;
    } catch (error) {
      if (isLdapCode(error, 32) || isLdapCode(error, 34)) return null;
      throw this.failure(`looking up ${JSON.stringify(ref)}`, error);
    }
  }

  /** The object's proxyAddresses and mail now; null when it no longer exists. */
  async readValues(dn: string): Promise<AdValues | null> {
    try {
      const client = await this.connection();
      const attributes = ["proxyAddresses", "mail"];
      const [entry] = await searchOnce(client, {
        base: dn,
        scope: "base",
        filter: "(objectClass=*)",
        attributes,
      });
      if (!entry) return null;
      const text = (name: string): string[] =>
        (entry.attributes.get(name) ?? []).map((b) => b.toString("utf8"));
      return { proxyAddresses: text("proxyaddresses"), mail: text("mail")[0] ?? null };
    } catch (error) {
      if (isLdapCode(error, 32)) return null;
      throw this.failure(`reading ${dn}`, error);
    }
  }

  /** One modify for the object; deletes name the old values, so a concurrent change is a conflict. */
  async writeAddresses(dn: string, write: AdAddressWrite): Promise<WriteOutcome> {
    const built = addressChanges(write);
    if ("refused" in built) return { status: "failed", message: built.refused };
    if (built.changes.length === 0) return { status: "applied" };
    try {
      const client = await this.connection();
      await client.modify(dn, built.changes);
      this.logger.debug("ad modify", { dn, changes: built.changes.length });
      return { status: "applied" };
    } catch (error) {
      const outcome = writeOutcome(error, dn);
      if (outcome) return outcome;
      throw this.failure(`modifying ${dn}`, error);
    }
  }

  /** One LDAP add with every attribute; an object already at `dn` is a conflict, never overwritten. */
  async createObject(dn: string, attributes: Record<string, string[]>): Promise<WriteOutcome> {
    try {
      const client = await this.connection();
      await client.add(dn, attributes);
      this.logger.debug("ad add", { dn });
      return { status: "applied" };
    } catch (error) {
      const outcome = addOutcome(error, dn);
      if (outcome) return outcome;
      throw this.failure(`adding ${dn}`, error);
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    if (client) await client.unbind().catch(() => undefined);
  }
}

function isLdapCode(error: unknown, code: number): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === code;
}
