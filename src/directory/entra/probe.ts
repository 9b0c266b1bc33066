/**
 * `doctor`'s checks of the Graph connection: a token from the chosen credential, then one real,
 * small call per application permission a command needs, so that a 403 names the permission to
 * grant. The write permission of `apply` cannot be tried without writing: it is read from the
 * token's `roles` claim when the token carries one. Each step has a deadline.
 */
import { DirectoryError } from "../../model/errors.js";
import { DeadlineError, timed, withDeadline, type ProbeResult } from "../probe.js";
import { describeEndpoint } from "./error-context.js";
import { toDirectoryError } from "./graph-errors.js";
import type { GraphConnectOptions, GraphDirectory } from "./index.js";
import { openGraph } from "./index.js";

interface PermissionCall {
  permission: string;
  path: string;
  query: string;
  usedBy: string;
}

/** The reads `plan`, `drift`, `import` and `export entra` make, one per permission (docs/entra-credentials.md). */
export const PERMISSION_CALLS: readonly PermissionCall[] = [
  { permission: "User.Read.All", path: "/users", query: "$top=1&$select=id", usedBy: "users" },
  {
    permission: "Group.Read.All",
    path: "/groups",
    query: "$top=1&$select=id",
    usedBy: "mail-enabled groups",
  },
  {
    permission: "OrgContact.Read.All",
    path: "/contacts",
    query: "$top=1&$select=id",
    usedBy: "mail contacts",
  },
  {
    permission: "Domain.Read.All",
    path: "/domains",
    query: "$select=id,isVerified",
    usedBy: "verified domains",
  },
  {
    permission: "RoleManagement.Read.Directory",
    path: "/roleManagement/directory/roleAssignments",
    // This collection takes no $top; its few hundred entries come in one page.
    query: "$select=id",
    usedBy: "admin role assignments",
  },
  {
    permission: "OnPremDirectorySynchronization.Read.All",
    path: "/directory/onPremisesSynchronization",
    query: "$select=id,features",
    usedBy: "the sync features (soft/hard match)",
  },
];

const WRITE_PERMISSIONS = ["User.ReadWrite.All", "Directory.ReadWrite.All"];

/** The `roles` claim of an app-only token; null when the token is not a readable JWT. */
export function tokenRoles(token: string): string[] | null {
  const payload = token.split(".")[1];
  if (!payload) return null;
  try {
    const claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { roles?: unknown };
    return Array.isArray(claims.roles) ? claims.roles.filter((r): r is string => typeof r === "string") : [];
  } catch {
    return null;
  }
}

function grantFix(permission: string, clientId: string): string {
  return (
    `grant the Microsoft Graph application permission ${permission} to app ${clientId} ` +
    "(App registrations -> API permissions -> Add a permission -> Microsoft Graph -> Application permissions), " +
    "then 'Grant admin consent'"
  );
}

const FEATURE_NAMES = [
  "blockSoftMatchEnabled",
  "blockCloudObjectTakeoverThroughHardMatchEnabled",
  "softMatchOnUpnEnabled",
];

function featuresText(body: unknown): string {
  const features =
    (body as { value?: { features?: Record<string, unknown> }[] } | null)?.value?.[0]?.features ?? {};
  return FEATURE_NAMES.map((name) => {
    const value = features[name];
    return `${name}=${typeof value === "boolean" ? String(value) : "default"}`;
  }).join(", ");
}

export async function probeGraph(
  options: GraphConnectOptions & { timeoutMs: number; clientId: string },
): Promise<ProbeResult[]> {
  const results: ProbeResult[] = [];
  let graph: GraphDirectory;
  try {
    // One quick retry at most: doctor reports a throttled or failing endpoint instead of waiting minutes.
    graph = await openGraph({ ...options, retry: { maxRetries: 1, maxDelayMs: 2000, ...options.retry } });
  } catch (error) {
    results.push({
      system: "entra",
      check: "settings",
      status: "fail",
      detail: (error as Error).message,
      fix: "correct entra.* in the Settings",
      ms: 0,
    });
    return results;
  }
  const where = describeEndpoint(graph.endpoint);
  let roles: string[] | null = null;
  const token = await timed("entra", "token", async () => {
    try {
      const access = await withDeadline(
        graph.credential.getToken(graph.scope),
        options.timeoutMs,
        "token request",
      );
      if (!access) throw new Error("the credential returned no token");
      roles = tokenRoles(access.token);
      const minutes = Math.round((access.expiresOnTimestamp - Date.now()) / 60_000);
      return {
        status: "ok",
        detail: `token for ${graph.scope} (${where}), valid for ${minutes} min${roles && roles.length > 0 ? `; roles: ${roles.join(", ")}` : ""}`,
      };
    } catch (error) {
      const message =
        error instanceof DeadlineError
          ? error.message
          : toDirectoryError(error, "token request", { secrets: [], maxRetries: 0 }).message;
      return {
        status: "fail",
        detail: `${message} [${where}]`,
        fix:
          graph.endpoint.method === "azure-cli"
            ? "set AZURE_CLIENT_SECRET or AZURE_CLIENT_CERTIFICATE_PATH (or run in GitHub Actions with id-token: write), or run 'az login'"
            : `check AZURE_TENANT_ID / AZURE_CLIENT_ID and the ${graph.credentialMethod} credential of app ${options.clientId}, and that this machine reaches ${graph.endpoint.authorityHost}`,
      };
    }
  });
  results.push(token);
  if (token.status === "fail") return results;

  for (const call of PERMISSION_CALLS) {
    results.push(
      await timed("entra", call.permission, async () => {
        try {
          const body = await withDeadline<unknown>(
            graph.client.api(`${call.path}?${call.query}`).get(),
            options.timeoutMs,
            `GET ${call.path}`,
          );
          const extra = call.path === "/directory/onPremisesSynchronization" ? `: ${featuresText(body)}` : "";
          return { status: "ok", detail: `GET ${call.path} (${call.usedBy})${extra}` };
        } catch (error) {
          if (error instanceof DeadlineError)
            return {
              status: "fail",
              detail: error.message,
              fix: `check that this machine reaches ${graph.endpoint.graphHost} (proxy, firewall), or raise --timeout`,
            };
          const failure =
            error instanceof DirectoryError
              ? error
              : toDirectoryError(error, `GET ${call.path}`, { secrets: [], maxRetries: 1 });
          const denied = failure.details.status === 403 || failure.details.status === 401;
          return {
            status: "fail",
            detail: `${denied ? `${call.permission} missing: ` : ""}${failure.message}`,
            fix: denied
              ? grantFix(call.permission, options.clientId)
              : `Graph refused the read for another reason; see the message (${graph.endpoint.graphHost})`,
          };
        }
      }),
    );
  }

  const heldRoles = roles as string[] | null;
  results.push(
    await timed("entra", "User.ReadWrite.All", () => {
      if (heldRoles === null || heldRoles.length === 0)
        return Promise.resolve({
          status: "skip" as const,
          detail: "apply's write permission cannot be tried without writing, and the token lists no roles",
          fix: `for apply with match: hard, ${grantFix("User.ReadWrite.All", options.clientId)}`,
        });
      const held = WRITE_PERMISSIONS.find((p) => heldRoles.includes(p));
      return Promise.resolve(
        held
          ? { status: "ok" as const, detail: `apply may write onPremisesImmutableId (token role ${held})` }
          : {
              status: "warn" as const,
              detail:
                "the token has no User.ReadWrite.All: apply cannot write onPremisesImmutableId (match: hard)",
              fix: grantFix("User.ReadWrite.All", options.clientId),
            },
      );
    }),
  );
  return results;
}
