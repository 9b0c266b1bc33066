/** Drift report -> text | markdown | json. Pure. */
import type { AdValues } from "../model/ports.js";
import type { DriftItem } from "../plan/drift.js";
import { escapeMarkdown } from "./plan-markdown.js";
import type { OutputFormat, TextStyle } from "./style.js";

type Values = AdValues | { onPremisesImmutableId: string | null };

function describe(values: Values): string {
  if ("proxyAddresses" in values)
    return `proxyAddresses [${values.proxyAddresses.join(", ")}], mail ${values.mail ?? "(empty)"}`;
  return `onPremisesImmutableId ${values.onPremisesImmutableId ?? "(empty)"}`;
}

function where(item: DriftItem): string {
  return `${item.target === "ad" ? "AD" : "Entra"} ${item.object}`;
}

function provenance(item: DriftItem): string {
  return `written ${item.writtenAt}${item.commit ? ` by the apply of ${item.commit.slice(0, 12)}` : ""}`;
}

const FIX =
  "merge a change to identities/ that makes this the desired value, or run the apply workflow to write the desired value back";

export function renderDriftText(items: readonly DriftItem[], style: TextStyle): string {
  if (items.length === 0) return "idanchor drift: none; live values match what idanchor last wrote.\n";
  const lines = [style.bold(`idanchor drift: ${items.length} object(s) changed outside git`)];
  for (const item of items)
    lines.push(
      `  ${style.yellow("drift")} ${where(item)} (${item.key})`,
      `    was ${describe(item.written)} (${provenance(item)})`,
      `    now ${describe(item.live)}`,
    );
  lines.push(`Fix: ${FIX}.`);
  return `${lines.join("\n")}\n`;
}

export function renderDriftMarkdown(items: readonly DriftItem[]): string {
  if (items.length === 0) return "### idanchor drift\n\nNone: live values match what idanchor last wrote.\n";
  const out = [
    "### idanchor drift",
    "",
    `**${items.length} object(s) changed outside git.** Fix: ${FIX}.`,
    "",
    "| identity | object | idanchor wrote | live now |",
    "|---|---|---|---|",
  ];
  for (const item of items)
    out.push(
      `| ${escapeMarkdown(item.key)} | ${escapeMarkdown(where(item))} | ${escapeMarkdown(describe(item.written))} (${escapeMarkdown(provenance(item))}) | ${escapeMarkdown(describe(item.live))} |`,
    );
  return `${out.join("\n")}\n`;
}

export function renderDrift(items: readonly DriftItem[], format: OutputFormat, style: TextStyle): string {
  switch (format) {
    case "json":
      return `${JSON.stringify({ version: 1, drift: items }, null, 2)}\n`;
    case "markdown":
      return renderDriftMarkdown(items);
    case "text":
      return renderDriftText(items, style);
  }
}
