/**
 * What `validate` can check offline about where objects live (pure): every DN parses, every
 * syncScope OU lies under baseDN (the live reader searches only there), and an object idanchor
 * creates lies inside the sync scope (otherwise Entra Connect never sees it).
 */
import { DnSyntaxError, dnComponents, isWithin, withinAny } from "../model/dn.js";
import type { Settings } from "./settings.js";
import type { DesiredIdentity, Position, ValidationFinding } from "./types.js";

function error(position: Position, code: string, message: string): ValidationFinding {
  return { ...position, severity: "error", code, message };
}

function dnProblem(dn: string): string | undefined {
  try {
    dnComponents(dn);
    return undefined;
  } catch (e) {
    if (e instanceof DnSyntaxError) return e.message;
    throw e;
  }
}

export function checkScope(
  settings: Settings | undefined,
  settingsAt: Position | undefined,
  identities: readonly DesiredIdentity[],
): ValidationFinding[] {
  const out: ValidationFinding[] = [];
  let scopeUsable = false;
  if (settings && settingsAt) {
    const { baseDN, syncScope } = settings.activeDirectory;
    const baseBad = dnProblem(baseDN);
    if (baseBad)
      out.push(error(settingsAt, "InvalidDN", `activeDirectory.baseDN: '${baseDN}' is not a DN: ${baseBad}`));
    syncScope.forEach((ou, i) => {
      const bad = dnProblem(ou);
      if (bad)
        out.push(
          error(
            settingsAt,
            "InvalidDN",
            `activeDirectory.syncScope[${i}]: '${ou}' is not a DN: ${bad}${ou.includes(",") ? "" : "; in a YAML flow list ([a, b]) quote each DN, or its commas split it into several items"}`,
          ),
        );
      else if (!baseBad && !isWithin(ou, baseDN))
        out.push(
          error(
            settingsAt,
            "SyncScopeOutsideBaseDN",
            `activeDirectory.syncScope[${i}]: '${ou}' is not under baseDN '${baseDN}', so idanchor never reads it and every object there looks missing; put it under baseDN or widen baseDN${/^(DC|OU|CN)=[^,]*$/i.test(ou) ? " (an unquoted DN in a YAML flow list is split at its commas: quote it)" : ""}`,
          ),
        );
    });
    scopeUsable = !out.length;
  }
  for (const identity of identities) {
    const ref = identity.ad;
    const dn = ref.kind === "dn" ? ref.dn : ref.kind === "create" ? ref.spec.ou : undefined;
    if (dn === undefined) continue;
    const field = ref.kind === "dn" ? "ad.dn" : "ad.create.ou";
    const bad = dnProblem(dn);
    if (bad) {
      out.push(
        error(identity.positions.ad, "InvalidDN", `${identity.key}: ${field} '${dn}' is not a DN: ${bad}`),
      );
      continue;
    }
    if (ref.kind === "create" && scopeUsable && settings) {
      const scope = settings.activeDirectory.syncScope;
      if (!withinAny(dn, scope))
        out.push(
          error(
            identity.positions.ad,
            "OutOfSyncScope",
            `${identity.key}: ad.create.ou '${dn}' is not inside the sync scope (${scope.join("; ")}): Entra Connect would never see the created object, so it joins nothing. Create it in a sync-scope OU`,
          ),
        );
    }
  }
  return out;
}
