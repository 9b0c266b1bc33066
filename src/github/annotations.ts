/**
 * Findings -> GitHub workflow command lines (`::error file=...,line=...::message`). Pure.
 * GitHub shows at most 10 annotations of each level per step, so the first ones are printed and a
 * notice says how many more the job summary holds.
 */
import type { ValidationFinding } from "../desired/types.js";
import type { Plan } from "../plan/types.js";
import { stripControl } from "../model/sanitize.js";

export type AnnotationLevel = "error" | "warning" | "notice";

export interface Annotation {
  level: AnnotationLevel;
  message: string;
  title?: string;
  file?: string;
  line?: number;
  col?: number;
}

export const ANNOTATIONS_PER_STEP = 10;

/** As @actions/core escapes command data; control characters (terminal escapes) are dropped first. */
export function escapeData(text: string): string {
  return stripControl(text.replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A"));
}

/** As @actions/core escapes command properties: data escaping plus `:` and `,`. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, "%3A").replace(/,/g, "%2C");
}

export function formatAnnotation(annotation: Annotation): string {
  const props: string[] = [];
  if (annotation.file !== undefined && annotation.file !== "") {
    props.push(`file=${escapeProperty(annotation.file)}`);
    if (annotation.line !== undefined && annotation.line > 0) {
      props.push(`line=${annotation.line}`);
      if (annotation.col !== undefined && annotation.col > 0) props.push(`col=${annotation.col}`);
    }
  }
  if (annotation.title !== undefined && annotation.title !== "") {
    props.push(`title=${escapeProperty(annotation.title)}`);
  }
  const properties = props.length > 0 ? ` ${props.join(",")}` : "";
  return `::${annotation.level}${properties}::${escapeData(annotation.message)}`;
}

export function validationAnnotations(findings: readonly ValidationFinding[]): Annotation[] {
  return findings.map((f) => ({
    level: f.severity,
    file: f.file,
    line: f.line,
    col: f.column,
    title: `idanchor validate: ${f.code}`,
    message: f.message,
  }));
}

/** The identities a plan with a base comparison annotates: those the change touched or affected. */
function reviewed(plan: Plan): (key: string) => boolean {
  if (plan.base === undefined) return () => true;
  const keys = new Set(plan.base.identities.filter((r) => r.status !== "removed").map((r) => r.key));
  return (key) => keys.has(key);
}

/**
 * One annotation per finding, on the line where the identity stands in its YAML file. With a base
 * comparison only the identities the pull request touched or affected: the lines a reviewer sees.
 */
export function planAnnotations(plan: Plan): Annotation[] {
  const annotated = reviewed(plan);
  const global = plan.findings.map((f) => ({
    level: f.severity,
    title: `idanchor plan: ${f.code}`,
    message: `${f.message} Fix: ${f.fix}`,
  }));
  const perIdentity = plan.identities.flatMap((identity) =>
    (annotated(identity.key) ? identity.findings : []).map((f) => ({
      level: f.severity,
      file: identity.source.file,
      line: identity.source.line,
      col: identity.source.column,
      title: `idanchor plan: ${f.code} (${identity.key})`,
      message: `${f.message} Fix: ${f.fix}`,
    })),
  );
  return [...global, ...perIdentity];
}

const NOUNS: Record<AnnotationLevel, [string, string]> = {
  error: ["error", "errors"],
  warning: ["warning", "warnings"],
  notice: ["notice", "notices"],
};

/**
 * The command lines to print: per level the first `perStep`, then one notice with the count of the
 * rest (a notice, so it does not take an error's place). Errors come first.
 */
export function annotationLines(
  annotations: readonly Annotation[],
  options: { perStep?: number; fullListAt?: string } = {},
): string[] {
  const perStep = options.perStep ?? ANNOTATIONS_PER_STEP;
  const fullListAt = options.fullListAt ?? "The job summary";
  const lines: string[] = [];
  for (const level of ["error", "warning", "notice"] as const) {
    const ofLevel = annotations.filter((a) => a.level === level);
    lines.push(...ofLevel.slice(0, perStep).map(formatAnnotation));
    const more = ofLevel.length - perStep;
    if (more > 0) {
      const [one, many] = NOUNS[level];
      lines.push(
        formatAnnotation({
          level: "notice",
          title: `idanchor: ${more} more ${more === 1 ? one : many}`,
          message: `${ofLevel.length} ${many} in all; GitHub shows ${perStep} per step, so ${more} more ${more === 1 ? "is" : "are"} not annotated. ${fullListAt} lists every one.`,
        }),
      );
    }
  }
  return lines;
}
