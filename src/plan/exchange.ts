/**
 * On-prem Exchange (pure): an email address policy can rewrite the primary SMTP address idanchor
 * writes, and a remote mailbox routes mail to its targetAddress, which the cloud mailbox must carry.
 * Runs only when the AD schema has Exchange's attributes (AdState.exchangeSchema).
 */
import { parseProxyAddress, primarySmtp } from "../address/proxy-address.js";
import { addressKey } from "../address/smtp.js";
import type { AdObject, ExchangeAttributes } from "../model/directory.js";
import { afterChanges } from "./ad-changes.js";
import { exchangeFindings } from "./findings.js";
import type { CloudObject } from "./live-index.js";
import { addressesOf } from "./live-index.js";
import type { Change, PlanFinding } from "./types.js";

/** The msExchPoliciesExcluded value that turns email address policies off (EmailAddressPolicyEnabled $false). */
export const EMAIL_ADDRESS_POLICY_EXCLUDED = "{26491cfc-9e50-4857-861b-0cb8df22b5d7}";

/** msExchRecipientTypeDetails of the remote (Exchange Online) mailbox types. */
export const REMOTE_MAILBOX_TYPES: ReadonlyMap<number, string> = new Map([
  [2147483648, "RemoteUserMailbox"],
  [8589934592, "RemoteRoomMailbox"],
  [17179869184, "RemoteEquipmentMailbox"],
  [34359738368, "RemoteSharedMailbox"],
]);

const MAILBOX_TYPES = new Set([1, 2, 4, 8, 16, 32]);
const GROUP_TYPES = new Set([256, 512, 1024]);

/** The on-prem cmdlet that manages this recipient (its -EmailAddressPolicyEnabled switch). */
export function recipientCmdlet(ad: AdObject, details: number | null): string {
  if (details !== null) {
    if (REMOTE_MAILBOX_TYPES.has(details)) return "Set-RemoteMailbox";
    if (MAILBOX_TYPES.has(details)) return "Set-Mailbox";
    if (details === 128) return "Set-MailUser";
    if (details === 64) return "Set-MailContact";
    if (GROUP_TYPES.has(details)) return "Set-DistributionGroup";
  }
  return { user: "Set-RemoteMailbox", contact: "Set-MailContact", group: "Set-DistributionGroup" }[ad.type];
}

/** An Exchange recipient (mailNickname is what every recipient filter of a policy requires) still under policy. */
function policyApplies(ad: AdObject, exchange: ExchangeAttributes): boolean {
  const recipient = ad.mailNickname !== null || exchange.recipientTypeDetails !== null;
  const excluded = exchange.policiesExcluded.some(
    (v) => v.trim().toLowerCase() === EMAIL_ADDRESS_POLICY_EXCLUDED,
  );
  return recipient && !excluded;
}

/** The primary SMTP address before and after the changes, when the changes move it. */
export function primaryChange(
  ad: AdObject,
  changes: readonly Change[],
): { from: string | null; to: string } | null {
  const after = afterChanges(ad, changes);
  const from = primarySmtp(ad.proxyAddresses) ?? ad.mail;
  const to = primarySmtp(after.proxyAddresses) ?? after.mail;
  if (to === null || (from !== null && addressKey(from) === addressKey(to))) return null;
  return { from, to };
}

/** The address a targetAddress value names (`SMTP:x@y` or a bare address). */
function targetAddressOf(value: string): string {
  const parsed = parseProxyAddress(value);
  return parsed.kind === "smtp" ? parsed.address : value;
}

export interface ExchangeCheckInput {
  ad: AdObject;
  changes: readonly Change[];
  /** The cloud object the mailbox is (or will be) joined to, else the one the YAML names. */
  cloud: CloudObject | undefined;
}

/** Address-policy and remote-routing findings for one identity; none without the Exchange attributes. */
export function exchangeChecks({ ad, changes, cloud }: ExchangeCheckInput): PlanFinding[] {
  const exchange = ad.exchange;
  if (!exchange) return [];
  const out: PlanFinding[] = [];
  const moved = primaryChange(ad, changes);
  if (moved && policyApplies(ad, exchange))
    out.push(
      exchangeFindings.emailAddressPolicyWillOverwrite(
        ad,
        moved.to,
        exchange.policiesIncluded,
        recipientCmdlet(ad, exchange.recipientTypeDetails),
      ),
    );
  const remoteType =
    exchange.recipientTypeDetails === null
      ? undefined
      : REMOTE_MAILBOX_TYPES.get(exchange.recipientTypeDetails);
  if (remoteType && cloud) {
    const carried = addressesOf(cloud.proxyAddresses, cloud.mail);
    const routing = carried.filter((a) => /\.mail\.onmicrosoft\.com$/i.test(a));
    const target = exchange.targetAddress ? targetAddressOf(exchange.targetAddress) : null;
    if (target === null || !carried.some((a) => addressKey(a) === addressKey(target)))
      out.push(
        exchangeFindings.remoteRoutingAddressMismatch(
          ad,
          remoteType,
          exchange.targetAddress,
          cloud,
          routing[0],
        ),
      );
  }
  return out;
}
