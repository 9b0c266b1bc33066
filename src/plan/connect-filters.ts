/**
 * Entra Connect's own out-of-box filters (concept-azure-ad-connect-sync-default-configuration):
 * objects it never exports to Entra ID, whatever their OU. Pure.
 */
import type { AdObject } from "../model/directory.js";

/** msExchRecipientTypeDetails bits of Exchange's system mailboxes (arbitration, discovery, monitoring ...). */
export const SYSTEM_MAILBOX_MASK = 0x21c07000;
/** msExchRecipientTypeDetails of a linked mailbox: it contributes no source anchor. */
export const LINKED_MAILBOX = 2;

/** Why Entra Connect never exports this object, or null when it does. */
export function notExportedReason(ad: AdObject): string | null {
  if (ad.isCriticalSystemObject) return "it is a built-in account (isCriticalSystemObject TRUE)";
  const sam = ad.sAMAccountName ?? "";
  if (/^(AAD_|MSOL_)/i.test(sam))
    return `its sAMAccountName '${sam}' marks an Entra Connect service account (AAD_ / MSOL_)`;
  // The RDN's value (up to the first comma) starts with it: asked of every object, so no match is kept.
  if (/^CN=SystemMailbox\{/i.test(ad.dn) || /^SystemMailbox\{/i.test(sam))
    return "it is an Exchange system mailbox (SystemMailbox{...})";
  const details = ad.exchange?.recipientTypeDetails ?? null;
  if (details !== null) {
    // Values above 2^31 exceed JavaScript's bitwise range: test the mask on the low 32 bits by arithmetic.
    const low = details % 2 ** 32;
    if ((low & SYSTEM_MAILBOX_MASK) !== 0)
      return `it is an Exchange system mailbox (msExchRecipientTypeDetails ${details} is in mask 0x21C07000)`;
    if (details === LINKED_MAILBOX)
      return "it is a linked mailbox (msExchRecipientTypeDetails 2), which contributes no source anchor";
  }
  return null;
}
