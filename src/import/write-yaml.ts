/**
 * Proposals -> IdentityMap YAML, with the evidence as comments where a reviewer reads them: above
 * each entry, and the objects that need a decision at the end. Uses the yaml Document API so the
 * comments land in place and the values are quoted as YAML needs. Pure.
 */
import { Document, isMap, isSeq, stringify } from "yaml";
import type { YAMLMap, YAMLSeq } from "yaml";

import type { Candidate, ImportEntry, ImportResult, Proposal, UndecidedReason } from "./types.js";

export interface WriteOptions {
  /** Path of identity-map.schema.json relative to the output file, for editors. */
  schemaPath: string;
  /** Where AD and Entra were read from, e.g. "snapshot examples/contoso/ad.ldif". */
  sources: { ad: string; entra: string };
  /**
   * Write low-confidence proposals (weak or contradicted evidence) as live entries. Off by default:
   * they are then commented out, so that `plan` never files a guess under "will join".
   */
  includeLow?: boolean;
}

type Mapped = Extract<Proposal, { entry: ImportEntry }>;

const isLow = (p: Mapped): boolean => p.kind === "proposed" && p.candidate.confidence === "low";

/** A proposal as a commented-out list item: uncommenting it yields a valid entry. */
function commentedEntry(p: Mapped): string[] {
  const item = stringify([entryValue(p.entry)], { lineWidth: 0, flowCollectionPadding: false })
    .trimEnd()
    .split("\n");
  return [...entryComment(p), ...item.map((text) => `  ${text}`)];
}

const REASONS: Record<UndecidedReason, string> = {
  "no-candidate": "no cloud object matches its primary SMTP, any proxy address, its UPN or its mailNickname",
  "not-exported": "Entra Connect never exports it, so no join can be proposed",
  ambiguous: "several cloud objects could be it",
  conflict: "another AD object wants the same cloud object or address",
  blocked: "the only candidates cannot be joined",
  "no-usable-address": "no address fit to write into the desired state",
};

/** Comment text is one line per entry; a value with a line break would end the comment early. */
function line(text: string): string {
  return ` ${text.replace(/[\r\n]+/g, " ")}`;
}

function candidateLines(candidate: Candidate, indent: string): string[] {
  const head = `${indent}${candidate.cloud.type} ${candidate.cloud.name} (${candidate.cloud.id}), confidence ${candidate.confidence}`;
  const lines = [head + (candidate.blocked ? ` - cannot join: ${candidate.blocked}` : "")];
  for (const evidence of candidate.evidence) lines.push(`${indent}  ${evidence.kind}: ${evidence.detail}`);
  if (candidate.caution) lines.push(`${indent}  caution: ${candidate.caution}`);
  return lines;
}

function entryComment(p: Mapped): string[] {
  const lines =
    p.kind === "joined"
      ? [`joined: ${p.ad.dn} <-> ${p.cloud.type} ${p.cloud.name} (${p.cloud.id})`]
      : [
          `PROPOSED, confidence ${p.candidate.confidence}: ${p.ad.dn} -> ${p.candidate.cloud.type} ${p.candidate.cloud.name} (${p.candidate.cloud.id})`,
          ...p.candidate.evidence.map((e) => `  ${e.kind} (${e.confidence}): ${e.detail}`),
        ];
  return [...lines, ...p.notes.map((n) => `  note: ${n}`)];
}

function undecidedLines(p: Extract<Proposal, { kind: "undecided" }>): string[] {
  const lines = [`${p.ad.name} (${p.ad.type}, ${p.ad.dn}): ${REASONS[p.reason]}`];
  for (const note of p.notes) lines.push(`  note: ${note}`);
  for (const candidate of p.candidates) lines.push(...candidateLines(candidate, "  - "));
  return lines;
}

function entryValue(entry: ImportEntry): Record<string, unknown> {
  const value: Record<string, unknown> = { ad: entry.ad };
  if (entry.type !== "user") value.type = entry.type;
  value.cloud = entry.cloud;
  value.smtp = entry.smtp;
  if (entry.aliases.length > 0) value.aliases = entry.aliases;
  value.comment = entry.comment;
  return value;
}

export function renderImportYaml(result: ImportResult, options: WriteOptions): string {
  const all = result.proposals.filter((p): p is Mapped => p.kind !== "undecided");
  const mapped = options.includeLow === true ? all : all.filter((p) => !isLow(p));
  const held = all.filter((p) => !mapped.includes(p));
  const undecided = result.proposals.filter(
    (p): p is Extract<Proposal, { kind: "undecided" }> => p.kind === "undecided",
  );
  const { summary } = result;

  const doc = new Document({ kind: "IdentityMap", identities: mapped.map((p) => entryValue(p.entry)) });
  doc.commentBefore = [
    `yaml-language-server: $schema=${options.schemaPath}`,
    `Written by 'idanchor import' from AD (${options.sources.ad}) and Entra ID (${options.sources.entra}).`,
    `${summary.joined} already joined, ${summary.proposed - held.length} proposed (review each), ${summary.undecided} need a decision (listed at the end).`,
    ...(summary.outOfScope > 0
      ? [`${summary.outOfScope} AD objects with mail lie outside the sync scope and are not listed.`]
      : []),
    ...(summary.alreadyMapped > 0
      ? [`${summary.alreadyMapped} AD objects already in the desired state are not listed.`]
      : []),
    ...(held.length > 0
      ? [
          `${held.length} low-confidence proposals are commented out at the end; uncomment each you confirm (or rerun with --include-low).`,
        ]
      : []),
    "Confidence: high = the next sync would soft-match on it (primary SMTP); medium = another address or the UPN",
    "is shared; low = only the mailNickname fits. Agreeing kinds of evidence raise it one step.",
  ]
    .map(line)
    .join("\n");

  const identities = doc.get("identities", true) as YAMLSeq<YAMLMap> | undefined;
  if (isSeq(identities)) {
    identities.items.forEach((item, i) => {
      if (!isMap(item)) return;
      item.commentBefore = entryComment(mapped[i]!).map(line).join("\n");
      const aliases = item.get("aliases", true);
      if (isSeq(aliases)) aliases.flow = true;
      const ad = item.get("ad", true);
      if (isMap(ad)) ad.flow = true;
      // A blank line between entries, as in the hand-written files.
      if (i > 0) item.spaceBefore = true;
    });
  }
  const tail = [
    ...(held.length > 0
      ? [
          `Low confidence (${held.length}): commented out, because the evidence is weak (see each). Check each,`,
          "then move it into the list above (uncommented) if it is right.",
          ...held.flatMap((p) => ["", ...commentedEntry(p)]),
        ]
      : []),
    ...(held.length > 0 && undecided.length > 0 ? [""] : []),
    ...(undecided.length > 0
      ? [
          `Need a decision (${undecided.length}): not mapped, because a wrong join cannot simply be undone.`,
          "Add an entry above for each once you know its cloud object.",
          ...undecided.flatMap((p) => ["", ...undecidedLines(p)]),
        ]
      : []),
  ];
  if (tail.length > 0) doc.comment = tail.map((text) => (text === "" ? "" : line(text))).join("\n");
  return doc.toString({ lineWidth: 0 });
}
