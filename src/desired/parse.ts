/** YAML texts -> DesiredState: syntax, then schema, then normalise, then semantic rules. Pure. */
import { checkDesiredState, formatPosition } from "./rules.js";
import { checkScope } from "./scope-rules.js";
import { validateDocumentSchema } from "./schema.js";
import type { DocumentKind } from "./schema.js";
import type { DesiredIdentity, DesiredState, Position, ValidationFinding } from "./types.js";
import { normalizeIdentities, normalizeSettings } from "./normalize.js";
import type { ParsedDocument, SourceFile } from "./yaml-files.js";
import { parseYamlFile } from "./yaml-files.js";
import type { Settings } from "./settings.js";

export interface DesiredStateResult {
  /** Null when any error was found: nothing downstream runs on a half-valid desired state. */
  state: DesiredState | null;
  findings: ValidationFinding[];
  files: number;
}

const KINDS: DocumentKind[] = ["Settings", "IdentityMap"];

function kindOf(parsed: ParsedDocument): DocumentKind | ValidationFinding {
  const value = parsed.value;
  const at = parsed.at(["kind"]);
  if (typeof value !== "object" || value === null || Array.isArray(value))
    return {
      ...at,
      severity: "error",
      code: "SchemaViolation",
      message: "a document must be a mapping with a 'kind' (Settings or IdentityMap)",
    };
  const kind = (value as { kind?: unknown }).kind;
  if (kind === undefined)
    return {
      ...at,
      severity: "error",
      code: "SchemaViolation",
      message: "missing 'kind': add 'kind: Settings' or 'kind: IdentityMap'",
    };
  if (!KINDS.includes(kind as DocumentKind))
    return {
      ...at,
      severity: "error",
      code: "SchemaViolation",
      message: `kind: ${JSON.stringify(kind)} is not known; use Settings or IdentityMap`,
    };
  return kind as DocumentKind;
}

/** What one file contributes; the same text at the same path always gives the same result. */
export interface FileResult {
  findings: ValidationFinding[];
  identities: DesiredIdentity[];
  settingsDocs: { settings: Settings; at: Position }[];
  /** A Settings document with schema errors is there, just wrong: it is not also "missing". */
  invalidSettings: boolean;
}

/**
 * Parsed files by path and text: `plan --base` loads two desired states that mostly share their
 * files, and a file unchanged between them is parsed once (results are never mutated).
 */
export type ParseCache = Map<string, FileResult>;

function parseFile(file: SourceFile): FileResult {
  const out: FileResult = { findings: [], identities: [], settingsDocs: [], invalidSettings: false };
  const { documents, findings: syntax } = parseYamlFile(file);
  out.findings.push(...syntax);
  for (const parsed of documents) {
    if (parsed.value === null || parsed.value === undefined) continue; // an empty document, e.g. a trailing '---'
    const kind = kindOf(parsed);
    if (typeof kind !== "string") {
      out.findings.push(kind);
      continue;
    }
    const schemaFindings = validateDocumentSchema(parsed, kind);
    out.findings.push(...schemaFindings);
    if (schemaFindings.length > 0) {
      if (kind === "Settings") out.invalidSettings = true;
      continue;
    }
    if (kind === "Settings") {
      out.settingsDocs.push({
        settings: normalizeSettings(parsed),
        at: parsed.at([]),
      });
    } else {
      const normalized = normalizeIdentities(parsed);
      out.identities.push(...normalized.identities);
      out.findings.push(...normalized.findings);
    }
  }
  return out;
}

/** The file's result from the cache, parsed (and kept there) when it is not in it yet. */
export function parseCached(file: SourceFile, cache?: ParseCache): FileResult {
  const key = `${file.path}\u0000${file.text}`;
  const known = cache?.get(key);
  if (known) return known;
  const result = parseFile(file);
  cache?.set(key, result);
  return result;
}

export function parseDesiredState(files: readonly SourceFile[], cache?: ParseCache): DesiredStateResult {
  return combineFiles(
    files,
    files.map((file) => parseCached(file, cache)),
  );
}

/** The desired state of the files, from what each contributes (`results[i]` is `files[i]`'s). */
export function combineFiles(
  files: readonly SourceFile[],
  results: readonly FileResult[],
): DesiredStateResult {
  const findings: ValidationFinding[] = [];
  const identities: DesiredIdentity[] = [];
  const settingsDocs: { settings: Settings; at: Position }[] = [];
  // A Settings document with schema errors is there, just wrong: it is not also "missing".
  let invalidSettings = false;
  for (const result of results) {
    findings.push(...result.findings);
    identities.push(...result.identities);
    settingsDocs.push(...result.settingsDocs);
    if (result.invalidSettings) invalidSettings = true;
  }

  const [first, ...extra] = settingsDocs;
  for (const other of extra) {
    findings.push({
      ...other.at,
      severity: "error",
      code: "DuplicateSettings",
      message: `a second 'kind: Settings' document; the first is at ${formatPosition(first!.at)}. Keep one`,
    });
  }
  findings.push(...checkDesiredState(identities, first?.settings));
  findings.push(...checkScope(first?.settings, first?.at, identities));
  // A file that did not parse may be the Settings: only say it is missing when everything parsed.
  if (!first && !invalidSettings && files.length > 0 && !findings.some((f) => f.code === "YamlSyntax")) {
    const at = { file: files[0]!.path, line: 0, column: 0 };
    findings.push({
      ...at,
      severity: "error",
      code: "MissingSettings",
      message:
        "no 'kind: Settings' document in the identities directory; add one (see README, 'Desired state')",
    });
  }

  const hasErrors = findings.some((f) => f.severity === "error");
  const state =
    !hasErrors && first ? { settings: first.settings, settingsSource: first.at, identities } : null;
  return { state, findings, files: files.length };
}
