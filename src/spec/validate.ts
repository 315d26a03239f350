import type { Diagnostic } from '../diag/index.js';
import { hasErrors, sortDiagnostics } from '../diag/index.js';
import { readSourceFile, YamlSource } from '../source/index.js';
import type { Finding } from './rule.js';
import { RULES } from './rules/index.js';
import { PlatformSchema, type Platform } from './schema.js';
import { schemaDiagnostics } from './schema-issues.js';
import { buildView } from './view.js';

export interface ValidationResult {
  /** The typed platform, with defaults, when there is no error. */
  platform?: Platform;
  diagnostics: Diagnostic[];
  source: YamlSource;
}

/** Validates platform text: YAML, then the schema, then every mesh rule; all findings, in file order. */
export function validatePlatformText(file: string, text: string): ValidationResult {
  const source = new YamlSource(file, text);
  const loaded = source.load();
  if (loaded.diagnostics.length > 0) return { diagnostics: loaded.diagnostics, source };

  const parsed = PlatformSchema.safeParse(loaded.value, { reportInput: true });
  const diagnostics = parsed.success ? [] : schemaDiagnostics(PlatformSchema, parsed.error.issues, source);
  diagnostics.push(...runRules(loaded.value, source));

  const sorted = sortDiagnostics(diagnostics);
  const result: ValidationResult = { diagnostics: sorted, source };
  if (parsed.success && !hasErrors(sorted)) result.platform = parsed.data;
  return result;
}

/** `path` is read; `file` is how findings name it (as the user typed it). */
export function validatePlatformFile(path: string, file = path): ValidationResult {
  const { text } = readSourceFile(path, 'platform file', file);
  return validatePlatformText(file, text);
}

function runRules(raw: unknown, source: YamlSource): Diagnostic[] {
  const view = buildView(raw);
  const findings: Finding[] = [];
  const report = (f: Finding) => findings.push(f);
  for (const rule of Object.values(RULES)) rule({ view, report });
  return findings.map((f) => source.at(f.path, f.code, f.message, f.severity ?? 'error', f.hint, f.key));
}
