/** Which domains imported addresses must be on. Pure. */
import type { Settings } from "../desired/settings.js";
import type { EntraState } from "../model/directory.js";

/**
 * `validate` checks addresses against the Settings' verifiedDomains and `plan` against the tenant's
 * verified domains; an imported address must pass both, so where both are known, both apply.
 */
export function verifiedDomainsFor(settings: Settings, entra: EntraState): string[] | null {
  const fromSettings = settings.entra.verifiedDomains?.map((d) => d.toLowerCase()) ?? null;
  const fromTenant = entra.domains.filter((d) => d.isVerified).map((d) => d.id.toLowerCase());
  if (fromTenant.length === 0) return fromSettings;
  if (fromSettings === null) return fromTenant;
  return fromSettings.filter((d) => fromTenant.includes(d));
}
