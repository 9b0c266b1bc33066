import { loadDesiredState } from "../../desired/index.js";
import {
  renderValidationJson,
  renderValidationMarkdown,
  renderValidationText,
} from "../../render/validation.js";
import type { CliContext, OutputFormat } from "../io.js";
import { EXIT, styleFor } from "../io.js";

export interface ValidateOptions {
  identities: string;
  format: OutputFormat;
}

/** Checks the desired state offline: never touches a network. */
export async function runValidate(options: ValidateOptions, ctx: CliContext): Promise<number> {
  const result = await loadDesiredState(options.identities, ctx.cwd);
  const summary = { files: result.files, identities: result.state?.identities.length ?? 0 };
  const output =
    options.format === "json"
      ? renderValidationJson(result.findings)
      : options.format === "markdown"
        ? renderValidationMarkdown(result.findings, summary)
        : renderValidationText(result.findings, summary, styleFor(ctx.stdout, ctx.env));
  ctx.stdout.write(output);
  return result.findings.some((f) => f.severity === "error") ? EXIT.error : EXIT.ok;
}
