import { stringify } from 'yaml';

/**
 * YAML for Kubernetes, Helm and Ansible: YAML 1.1 so that `on`, `yes`, `0777` and friends are
 * quoted for Go and PyYAML readers; no line folding; keys in the order the object gives them
 * (manifests read apiVersion, kind, metadata, spec), so output is byte-stable for equal input.
 */
export function toYaml(value: unknown): string {
  return stringify(value, { version: '1.1', lineWidth: 0, indentSeq: true, aliasDuplicateObjects: false });
}

/** Several documents in one file, separated by `---`. */
export function toYamlDocuments(values: unknown[]): string {
  return values.map((v) => toYaml(v)).join('---\n');
}

/** YAML comment lines; a blank one is a bare `#` (a trailing space fails yamllint). */
export function commentLines(lines: readonly string[]): string {
  return lines.map((l) => `# ${l}`.trimEnd()).join('\n');
}

/** A file that starts with a comment saying where it came from (no timestamp: renders must be byte-stable). */
export function withHeader(lines: string[], body: string): string {
  return `${commentLines(lines)}\n${body}`;
}
