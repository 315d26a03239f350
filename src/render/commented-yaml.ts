import { commentLines, toYaml } from './yaml.js';

export interface CommentedEntry {
  key: string;
  value: unknown;
  /** Lines written as `# …` right above the key: why the value is what it is. */
  comment?: string[];
}

/**
 * A YAML mapping whose keys carry comments (Ansible group vars are read by people deciding
 * whether to touch them). Each entry goes through toYaml, so quoting stays that of every
 * other rendered file; a blank line separates commented entries for reading.
 */
export function toCommentedYaml(entries: CommentedEntry[]): string {
  return entries
    .map((e) => {
      const body = toYaml({ [e.key]: e.value });
      if (!e.comment?.length) return body;
      return `${commentLines(e.comment)}\n${body}`;
    })
    .join('\n');
}
