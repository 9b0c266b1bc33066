/**
 * The live Entra source over Microsoft Graph: bulk paged reads ($select, $top=999, every
 * @odata.nextLink) into EntraState, and apply's plain onPremisesImmutableId reads and writes via
 * $batch. Any failed page fails the whole read: a partial tenant must never look like "nothing there".
 */
import type { Client } from "@microsoft/microsoft-graph-client";

import type { ImmutableIdWrite, WriteOutcome } from "../../model/ports.js";
import { DirectoryError } from "../../model/errors.js";
import type { Logger } from "../../model/log.js";
import type { EntraState } from "../../model/directory.js";
import type { BatchItem } from "./graph-batch.js";
import { itemError, runBatch } from "./graph-batch.js";
import { toDirectoryError } from "./graph-errors.js";
import type { RetryPolicy } from "./retry-handler.js";
import { absentProperty, absentPropertyMessage } from "./required-properties.js";
import { GRAPH_PROPERTIES, toEntraState } from "./to-entra-state.js";

/** Graph's largest page for directory objects. */
export const PAGE_SIZE = 999;

export interface GraphDirectoryDeps {
  client: Client;
  description: string;
  retry: RetryPolicy;
  logger: Logger;
  /** Values scrubbed from every error message. */
  secrets: readonly string[];
}

interface Page {
  value?: unknown;
  "@odata.nextLink"?: unknown;
}

interface ListRequest {
  what: string;
  path: string;
  select: readonly string[];
  top?: number;
  filter?: string;
}

type WriteResult = WriteOutcome & { userId: string };

export class GraphEntraDirectory {
  readonly description: string;
  private readonly client: Client;
  private readonly retry: RetryPolicy;
  private readonly logger: Logger;
  private readonly secrets: readonly string[];

  constructor(deps: GraphDirectoryDeps) {
    this.client = deps.client;
    this.description = deps.description;
    this.retry = deps.retry;
    this.logger = deps.logger;
    this.secrets = deps.secrets;
  }

  private fail(error: unknown, what: string): DirectoryError {
    return toDirectoryError(error, what, { secrets: this.secrets, maxRetries: this.retry.maxRetries });
  }

  /** Every page of one collection, or an error: never some of the pages. */
  private async list(request: ListRequest): Promise<unknown[]> {
    const items: unknown[] = [];
    let pages = 0;
    try {
      let call = this.client.api(request.path).select([...request.select]);
      if (request.top !== undefined) call = call.top(request.top);
      if (request.filter !== undefined) call = call.filter(request.filter);
      let page = (await call.get()) as Page;
      for (;;) {
        pages++;
        if (!Array.isArray(page?.value)) {
          throw new DirectoryError("entra", `${request.what}: page ${pages} has no 'value' list`);
        }
        items.push(...(page.value as unknown[]));
        const next = page["@odata.nextLink"];
        if (typeof next !== "string" || next === "") break;
        page = (await this.client.api(next).get()) as Page;
      }
    } catch (error) {
      throw this.fail(error, `reading ${request.what} failed${pages > 0 ? ` on page ${pages + 1}` : ""}`);
    }
    this.logger.debug("graph collection read", { collection: request.what, items: items.length, pages });
    return items;
  }

  private async readFeatures(): Promise<unknown> {
    const [sync] = await this.list({
      what: "onPremisesSynchronization",
      path: "/directory/onPremisesSynchronization",
      select: ["id", "features"],
    });
    return (sync as { features?: unknown } | undefined)?.features;
  }

  /** The tenant's last directory sync (organization onPremisesLastSyncDateTime), null when never synced. */
  async readTenantLastSync(): Promise<string | null> {
    const [organization] = await this.list({
      what: "organization",
      path: "/organization",
      select: ["id", "onPremisesLastSyncDateTime"],
    });
    const value = (organization as { onPremisesLastSyncDateTime?: unknown } | undefined)
      ?.onPremisesLastSyncDateTime;
    return typeof value === "string" ? value : null;
  }

  async readAll(): Promise<EntraState> {
    const [users, groups, contacts, features, domains, roleAssignments, deletedUsers] = await Promise.all([
      this.list({ what: "users", path: "/users", select: GRAPH_PROPERTIES.users, top: PAGE_SIZE }),
      // Every group, mail-enabled or not: the YAML may name a security group, which never matches (DESIGN 2b).
      this.list({ what: "groups", path: "/groups", select: GRAPH_PROPERTIES.groups, top: PAGE_SIZE }),
      this.list({ what: "contacts", path: "/contacts", select: GRAPH_PROPERTIES.contacts, top: PAGE_SIZE }),
      this.readFeatures(),
      this.list({ what: "domains", path: "/domains", select: GRAPH_PROPERTIES.domains }),
      this.list({
        what: "role assignments",
        path: "/roleManagement/directory/roleAssignments",
        select: GRAPH_PROPERTIES.roleAssignments,
      }),
      this.list({
        what: "deleted users",
        path: "/directory/deletedItems/microsoft.graph.user",
        select: GRAPH_PROPERTIES.deletedUsers,
        top: PAGE_SIZE,
      }),
    ]);
    const raw = { users, groups, contacts, features, domains, roleAssignments, deletedUsers };
    // Graph leaves out what it was not asked for or does not return: unknown, never "not set".
    const absent = absentProperty(raw);
    if (absent) throw new DirectoryError("entra", absentPropertyMessage(absent, "Graph returned"));
    let state: EntraState;
    try {
      state = toEntraState(raw);
    } catch (error) {
      throw new DirectoryError("entra", `Graph returned an unexpected object: ${(error as Error).message}`);
    }
    this.logger.info("entra read", {
      users: state.users.length,
      groups: state.groups.length,
      contacts: state.contacts.length,
      deletedUsers: state.deletedUsers.length,
    });
    return state;
  }

  async readImmutableIds(userIds: string[]): Promise<Map<string, string | null>> {
    const unique = [...new Set(userIds)];
    const items: BatchItem[] = unique.map((userId, i) => ({
      id: String(i),
      method: "GET",
      url: `/users/${encodeURIComponent(userId)}?$select=id,onPremisesImmutableId`,
    }));
    const results = await runBatch(this.client, items, this.retry, this.logger);
    const values = new Map<string, string | null>();
    unique.forEach((userId, i) => {
      const result = results.get(String(i));
      if (!result || !result.ok) throw this.fail(result?.error, `reading user ${userId} failed`);
      if (result.status === 404) return;
      if (result.status !== 200) {
        throw new DirectoryError("entra", `reading user ${userId} failed: ${itemError(result)}`, {
          status: result.status,
        });
      }
      const value = (result.body as { onPremisesImmutableId?: unknown } | null)?.onPremisesImmutableId;
      values.set(userId, typeof value === "string" ? value : null);
    });
    return values;
  }

  /** Sets onPremisesImmutableId for each item through $batch; apply decides what to write. */
  async writeImmutableIds(writes: ImmutableIdWrite[]): Promise<WriteResult[]> {
    const results = await runBatch(
      this.client,
      writes.map((write, index) => ({
        id: String(index),
        method: "PATCH",
        url: `/users/${encodeURIComponent(write.userId)}`,
        body: { onPremisesImmutableId: write.next },
      })),
      this.retry,
      this.logger,
    );
    const outcomes = writes.map(({ userId }, index): WriteResult => {
      const result = results.get(String(index));
      if (result?.ok && result.status >= 200 && result.status < 300) return { userId, status: "applied" };
      if (result?.ok) return { userId, status: "failed", message: itemError(result) };
      const reason = this.fail(result?.error, "the $batch request failed").message;
      return {
        userId,
        status: "failed",
        message: `${reason}; the value may or may not have been written (a rerun re-reads it first)`,
      };
    });
    this.logger.info("entra immutableId writes", {
      items: writes.length,
      applied: outcomes.filter((o) => o.status === "applied").length,
    });
    return outcomes;
  }
}
