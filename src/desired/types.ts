import type { MatchStrategy, ObjectType } from "../model/directory.js";
import type { Settings } from "./settings.js";

export interface Position {
  file: string;
  line: number;
  column: number;
}

/** An on-prem object idanchor creates for a cloud-only identity (the manual procedure's first step). */
export interface CreateSpec {
  ou: string;
  /** Users and groups; contacts have none. */
  sAMAccountName: string | null;
  cn: string;
  givenName: string | null;
  sn: string | null;
  displayName: string | null;
  userPrincipalName: string | null;
}

export type AdRef =
  | { kind: "sam"; sam: string }
  | { kind: "dn"; dn: string }
  | { kind: "guid"; guid: string }
  /** `dn` is where the object will be: CN=<cn>,<ou>. */
  | { kind: "create"; dn: string; spec: CreateSpec };
export type CloudRef = { kind: "upn"; upn: string } | { kind: "id"; id: string };

export interface DesiredIdentity {
  /** Stable identity key: the sAMAccountName, DN or GUID the entry names. */
  key: string;
  ad: AdRef;
  type: ObjectType;
  cloud: CloudRef;
  smtp: string;
  aliases: string[];
  match: MatchStrategy;
  rebind: boolean;
  /** Where the entry and its fields stand in the YAML, for findings and annotations. */
  source: Position;
  /** Where its fields stand, for the desired state's own checks (worked out when asked: see EntryPositions). */
  positions: FieldPositions;
}

export interface FieldPositions {
  readonly ad: Position;
  readonly cloud: Position;
  readonly smtp: Position;
  readonly aliases: readonly Position[];
}

export interface DesiredState {
  settings: Settings;
  /** Where the Settings document stands (relative paths in it resolve against its folder). */
  settingsSource: Position;
  identities: DesiredIdentity[];
}

export type Severity = "error" | "warning";

/** One problem in the desired state, at a position in a YAML file. */
export interface ValidationFinding extends Position {
  severity: Severity;
  code: string;
  message: string;
}
