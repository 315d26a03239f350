import type { FieldError } from '../api/status.js';

// apimachinery pkg/util/validation/validation.go: the regular expressions and messages verbatim.
const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const DNS1035_LABEL = '[a-z]([-a-z0-9]*[a-z0-9])?';

const SUBDOMAIN_MSG = `a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '${DNS1123_SUBDOMAIN}')`;
const LABEL_MSG = `a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '${DNS1123_LABEL}')`;
const DNS1035_MSG = `a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '${DNS1035_LABEL}')`;

export type NameRule = 'subdomain' | 'label' | 'dns1035' | 'path-segment';

/** Which rule a kind's name follows (each registry's ValidateObjectMeta name function). */
export function nameRule(groupResource: string): NameRule {
  switch (groupResource) {
    case 'core/namespaces':
      return 'label';
    case 'core/services':
      return 'dns1035';
    case 'rbac.authorization.k8s.io/roles':
    case 'rbac.authorization.k8s.io/clusterroles':
    case 'rbac.authorization.k8s.io/rolebindings':
    case 'rbac.authorization.k8s.io/clusterrolebindings':
      return 'path-segment';
    default:
      return 'subdomain';
  }
}

export function checkName(name: unknown, rule: NameRule, field = 'metadata.name'): FieldError[] {
  if (typeof name !== 'string' || !name) return [{ type: 'FieldValueRequired', field, message: `${field}: Required value: name or generateName is required` }];
  const bad = (detail: string): FieldError[] => [{ type: 'FieldValueInvalid', field, message: `${field}: Invalid value: ${JSON.stringify(name)}: ${detail}` }];
  switch (rule) {
    case 'path-segment':
      if (name === '.' || name === '..') return bad(`may not be '${name}'`);
      if (name.includes('/')) return bad(`may not contain '/'`);
      if (name.includes('%')) return bad(`may not contain '%'`);
      return [];
    case 'label':
      if (name.length > 63) return bad('must be no more than 63 characters');
      return new RegExp(`^${DNS1123_LABEL}$`).test(name) ? [] : bad(LABEL_MSG);
    case 'dns1035':
      if (name.length > 63) return bad('must be no more than 63 characters');
      return new RegExp(`^${DNS1035_LABEL}$`).test(name) ? [] : bad(DNS1035_MSG);
    default:
      if (name.length > 253) return bad('must be no more than 253 characters');
      return new RegExp(`^${DNS1123_SUBDOMAIN}$`).test(name) ? [] : bad(SUBDOMAIN_MSG);
  }
}

/** metav1 validation of label keys and values (qualified names, 63-character values). */
export function checkLabels(labels: Record<string, unknown> | undefined, field: string): FieldError[] {
  const out: FieldError[] = [];
  for (const [k, v] of Object.entries(labels ?? {})) {
    const value = String(v);
    if (value.length > 63 || !/^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/.test(value)) {
      out.push({
        type: 'FieldValueInvalid',
        field,
        message: `${field}: Invalid value: ${JSON.stringify(value)}: a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
      });
    }
    const name = k.includes('/') ? k.slice(k.indexOf('/') + 1) : k;
    if (!name || name.length > 63 || !/^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/.test(name)) {
      out.push({
        type: 'FieldValueInvalid',
        field,
        message: `${field}: Invalid value: ${JSON.stringify(k)}: name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
      });
    }
  }
  return out;
}
