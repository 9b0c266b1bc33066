/** The pull request a commit subject names: GitHub's merge commit or squash-merge subject. */
const PATTERNS = [/^Merge pull request #(\d+)\b/, /\(#(\d+)\)\s*$/, /^Merged in .*\(pull request #(\d+)\)/];

export function prNumber(subject: string): number | null {
  for (const pattern of PATTERNS) {
    const match = pattern.exec(subject);
    if (match?.[1]) return Number(match[1]);
  }
  return null;
}
