/**
 * The desired state at one commit, read leniently: unlike `validate`, the audit wants every identity
 * that was there, even when the state as a whole had errors then. Pure: texts in, snapshot out.
 */
import { normalizeIdentities } from "../desired/normalize.js";
import { validateDocumentSchema } from "../desired/schema.js";
import type { DesiredIdentity } from "../desired/types.js";
import type { SourceFile } from "../desired/yaml-files.js";
import { parseYamlFile } from "../desired/yaml-files.js";
import type { DesiredSnapshot, IdentitySnapshot } from "../model/audit.js";

export interface FileProblem {
  file: string;
  message: string;
}

function snapshotOf(identity: DesiredIdentity, file: string): IdentitySnapshot {
  return {
    key: identity.key,
    type: identity.type,
    cloud: identity.cloud.kind === "upn" ? identity.cloud.upn : identity.cloud.id,
    smtp: identity.smtp,
    aliases: identity.aliases,
    match: identity.match,
    rebind: identity.rebind,
    file,
  };
}

function isIdentityMap(value: unknown): boolean {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "IdentityMap";
}

/** Identities of one file, and what kept parts of it from being read. */
export function readSnapshotFile(file: SourceFile): {
  identities: IdentitySnapshot[];
  problems: FileProblem[];
} {
  const identities: IdentitySnapshot[] = [];
  const problems: FileProblem[] = [];
  const { documents, findings } = parseYamlFile(file);
  for (const finding of findings)
    problems.push({ file: file.path, message: `line ${finding.line}: ${finding.message}` });
  for (const parsed of documents) {
    if (!isIdentityMap(parsed.value)) continue; // Settings, empty documents: nothing to audit
    const schema = validateDocumentSchema(parsed, "IdentityMap");
    if (schema.length > 0) {
      const first = schema[0]!;
      problems.push({ file: file.path, message: `line ${first.line}: ${first.message}` });
      continue;
    }
    const normalized = normalizeIdentities(parsed);
    for (const finding of normalized.findings)
      problems.push({ file: file.path, message: `line ${finding.line}: ${finding.message}` });
    identities.push(...normalized.identities.map((identity) => snapshotOf(identity, file.path)));
  }
  return { identities, problems };
}

/** sAMAccountNames and DNs compare case-insensitively in AD: so do snapshot keys. */
export function snapshotKey(key: string): string {
  return key.toLowerCase();
}

/**
 * The snapshot after a commit. An identity that stood in a file that cannot be read now is carried
 * over from `previous`: a broken file says nothing about whether its entries were removed, and
 * reporting them removed and re-added one commit later would be noise.
 */
export function readSnapshot(
  files: readonly SourceFile[],
  previous: DesiredSnapshot,
): { snapshot: DesiredSnapshot; problems: FileProblem[] } {
  const snapshot = new Map<string, IdentitySnapshot>();
  const problems: FileProblem[] = [];
  const broken = new Set<string>();
  for (const file of files) {
    const read = readSnapshotFile(file);
    if (read.problems.length > 0) broken.add(file.path);
    problems.push(...read.problems);
    // A key mapped twice in one commit is a validation error of that commit; the first entry wins here.
    for (const identity of read.identities) {
      const key = snapshotKey(identity.key);
      if (!snapshot.has(key)) snapshot.set(key, identity);
    }
  }
  for (const [key, identity] of previous)
    if (broken.has(identity.file) && !snapshot.has(key)) snapshot.set(key, identity);
  return { snapshot, problems };
}
