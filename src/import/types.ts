/** What `idanchor import` proposes for each AD object: plain data, written out as YAML later. */
import type { ObjectType } from "../model/directory.js";

export type Confidence = "high" | "medium" | "low";

export type EvidenceKind = "primary-smtp" | "proxy-address" | "upn" | "mail-nickname";

/** One reason to think an AD object and a cloud object are the same identity. */
export interface Evidence {
  kind: EvidenceKind;
  /** Human-readable: which value of the AD object equals which value of the cloud object. */
  detail: string;
  confidence: Confidence;
}

export interface CloudSummary {
  id: string;
  type: ObjectType;
  /** What a reviewer recognises: UPN for users, mail or display name otherwise. */
  name: string;
}

export interface Candidate {
  cloud: CloudSummary;
  evidence: Evidence[];
  confidence: Confidence;
  /** Why the next sync could not join them (InvalidSoftMatch ...), null when it could. */
  blocked: string | null;
  /** Something that argues against it (it lowered the confidence one step). */
  caution?: string;
}

export interface AdSummary {
  dn: string;
  type: ObjectType;
  /** What the IdentityMap's `ad:` says: the sAMAccountName where there is one, else the DN. */
  ref: string | { dn: string };
  /** Shown in comments: sAMAccountName or DN. */
  name: string;
}

/** An IdentityMap entry as it will be written. */
export interface ImportEntry {
  ad: string | { dn: string };
  type: ObjectType;
  cloud: string;
  smtp: string;
  aliases: string[];
  comment: string;
}

export type UndecidedReason =
  "no-candidate" | "ambiguous" | "conflict" | "blocked" | "no-usable-address" | "not-exported";

export type Proposal =
  | { kind: "joined"; ad: AdSummary; cloud: CloudSummary; entry: ImportEntry; notes: string[] }
  | { kind: "proposed"; ad: AdSummary; candidate: Candidate; entry: ImportEntry; notes: string[] }
  | { kind: "undecided"; ad: AdSummary; reason: UndecidedReason; candidates: Candidate[]; notes: string[] };

export interface ImportSummary {
  joined: number;
  proposed: number;
  undecided: number;
  /** AD objects with mail outside the sync scope: Entra Connect does not see them. */
  outOfScope: number;
  /** AD objects the existing desired state already maps. */
  alreadyMapped: number;
}

export interface ImportResult {
  proposals: Proposal[];
  summary: ImportSummary;
}
