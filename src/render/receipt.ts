/** Receipt -> text summary. Pure. */
import type { Receipt } from "../model/receipts.js";
import type { TextStyle } from "./style.js";

export function renderReceiptText(receipt: Receipt, style: TextStyle): string {
  const lines = receipt.objects.map((o) => {
    const label =
      o.result === "applied"
        ? style.green(o.result)
        : o.result === "skipped"
          ? style.dim(o.result)
          : style.red(o.result);
    return `  ${label} ${o.target === "ad" ? "AD" : "Entra"} ${o.object} (${o.key})${o.error ? `: ${o.error}` : ""}`;
  });
  const s = receipt.summary;
  lines.unshift(
    style.bold(
      `idanchor apply: ${s.applied} applied, ${s.skipped} skipped, ${s.conflict} conflict, ${s.failed} failed`,
    ),
  );
  return `${lines.join("\n")}\n`;
}
