/** Tenant builders for the Entra tests: Graph-shaped objects, as the snapshot and the test server take them. */
import { readFileSync } from "node:fs";

import type { GraphTenantData, Json } from "../../support/graph-server.js";

export const CONTOSO_SNAPSHOT = new URL("../../../examples/contoso/entra.json", import.meta.url);
export const LOCKED_DOWN_SNAPSHOT = new URL(
  "../../../examples/contoso/entra-locked-down.json",
  import.meta.url,
);

export function contosoTenant(): GraphTenantData {
  return JSON.parse(readFileSync(CONTOSO_SNAPSHOT, "utf8")) as GraphTenantData;
}

const hex = (n: number, width: number): string => n.toString(16).padStart(width, "0");

export function userId(n: number): string {
  return `${hex(n, 8)}-0000-4000-8000-${hex(n, 12)}`;
}

/** A user with every property the adapter reads set, so a missing $select shows up as a difference. */
export function graphUser(n: number): Json {
  return {
    id: userId(n),
    userPrincipalName: `user${n}@contoso.onmicrosoft.com`,
    displayName: `User ${n}`,
    givenName: "User",
    surname: String(n),
    mail: `user${n}@contoso.com`,
    proxyAddresses: [`SMTP:user${n}@contoso.com`, `smtp:u${n}@contoso.com`, `X500:/o=Contoso/cn=user${n}`],
    onPremisesImmutableId: n % 3 === 0 ? Buffer.from(hex(n, 32), "hex").toString("base64") : null,
    onPremisesSyncEnabled: n % 3 === 0 ? true : null,
    onPremisesDistinguishedName: n % 3 === 0 ? `CN=User ${n},OU=Staff,DC=corp,DC=contoso,DC=com` : null,
    onPremisesSamAccountName: n % 3 === 0 ? `user${n}` : null,
    onPremisesProvisioningErrors:
      n % 97 === 0
        ? [
            {
              category: "PropertyConflict",
              errorDetail: null,
              occurredDateTime: "2024-05-01T10:00:00Z",
              propertyCausingError: "ProxyAddresses",
              value: `smtp:u${n}@contoso.com`,
            },
          ]
        : [],
    accountEnabled: n % 10 !== 0,
    userType: n % 50 === 0 ? "Guest" : "Member",
    mailNickname: `user${n}`,
    assignedPlans:
      n % 4 === 0
        ? [
            {
              assignedDateTime: "2025-02-01T09:00:00Z",
              capabilityStatus: "Enabled",
              service: "exchange",
              servicePlanId: "9aaf7827-d63c-4b61-89c3-182f06f82e5c",
            },
          ]
        : [],
    serviceProvisioningErrors:
      n % 89 === 0
        ? [
            {
              createdDateTime: "2025-03-01T09:00:00Z",
              isResolved: false,
              serviceInstance: "exchange/eurprd01-001-01",
              errorDetail: "<ServiceInstance>exchange</ServiceInstance>",
            },
          ]
        : [],
    jobTitle: "not selected: must not reach the state",
  };
}

/** A soft-deleted synchronised user: Graph prefixes its UPN with its object id without dashes. */
export function deletedGraphUser(n: number): Json {
  const user = graphUser(n);
  const id = String(user.id);
  return {
    ...user,
    userPrincipalName: `${id.replace(/-/g, "")}${String(user.userPrincipalName)}`,
    onPremisesImmutableId: Buffer.from(hex(n, 32), "hex").toString("base64"),
    onPremisesSyncEnabled: true,
    deletedDateTime: "2026-11-20T10:00:00Z",
  };
}

/** `count` users plus the contoso groups, contacts, features, domains and role assignments, and a deleted user. */
export function bigTenant(count: number): GraphTenantData {
  const base = contosoTenant();
  return {
    ...base,
    users: Array.from({ length: count }, (_, i) => graphUser(i + 1)),
    deletedUsers: [deletedGraphUser(count + 1)],
    groups: [
      ...(base.groups ?? []),
      {
        id: "9e9e9e9e-0000-4000-8000-000000000001",
        displayName: "Security only",
        mail: null,
        mailEnabled: false,
        securityEnabled: true,
        proxyAddresses: [],
        onPremisesSyncEnabled: null,
        onPremisesProvisioningErrors: [],
        serviceProvisioningErrors: [],
      },
    ],
  };
}
