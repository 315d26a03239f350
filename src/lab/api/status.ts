/**
 * Every error the lab's API answers is a Kubernetes Status, built by constructors that mirror
 * apimachinery pkg/api/errors/errors.go (NewNotFound, NewAlreadyExists, NewConflict, NewInvalid,
 * NewBadRequest, NewResourceExpired, NewMethodNotSupported, NewForbidden, NewInternalError).
 * Handlers throw an ApiError; the HTTP layer serializes it once.
 */
export interface StatusCause {
  type?: string;
  message?: string;
  field?: string;
  reason?: string;
}

export interface StatusBody {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, unknown>;
  status: 'Failure' | 'Success';
  message: string;
  reason: string;
  details?: { name?: string; group?: string; kind?: string; uid?: string; causes?: StatusCause[]; retryAfterSeconds?: number };
  code: number;
}

export class ApiError extends Error {
  constructor(readonly status: StatusBody) {
    super(status.message);
    this.name = 'ApiError';
  }
  get code(): number {
    return this.status.code;
  }
}

/** What a resource is called in messages: "deployments.apps", "pods". */
export interface Qualified {
  group: string;
  resource: string;
}

export const qualifiedName = (q: Qualified): string => (q.group ? `${q.resource}.${q.group}` : q.resource);

function status(code: number, reason: string, message: string, details?: StatusBody['details']): ApiError {
  return new ApiError({ kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, ...(details ? { details } : {}), code });
}

export const notFound = (q: Qualified, name: string): ApiError =>
  status(404, 'NotFound', `${qualifiedName(q)} "${name}" not found`, { name, ...(q.group ? { group: q.group } : {}), kind: q.resource });

export const alreadyExists = (q: Qualified, name: string): ApiError =>
  status(409, 'AlreadyExists', `${qualifiedName(q)} "${name}" already exists`, { name, ...(q.group ? { group: q.group } : {}), kind: q.resource });

/** The optimistic-lock failure: "the object has been modified" (registry/generic OptimisticLockErrorMsg). */
export const MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

export const conflict = (q: Qualified, name: string, why: string, causes?: StatusCause[]): ApiError =>
  status(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedName(q)} "${name}": ${why}`, {
    name,
    ...(q.group ? { group: q.group } : {}),
    kind: q.resource,
    ...(causes ? { causes } : {}),
  });

/** Server-side apply conflicts (structured-merge-diff's message, as kubectl prints it). */
export const applyConflict = (message: string, causes: StatusCause[]): ApiError => status(409, 'Conflict', message, { causes });

export interface FieldError {
  type: 'FieldValueRequired' | 'FieldValueInvalid' | 'FieldValueNotSupported' | 'FieldValueDuplicate' | 'FieldValueForbidden' | 'FieldValueTooLong' | 'FieldValueTypeInvalid';
  field: string;
  /** The whole line field.ErrorList prints, e.g. `spec.replicas: Invalid value: -1: must be greater than or equal to 0`. */
  message: string;
}

/** 422 Invalid: `Deployment.apps "web" is invalid: [a, b]` (NewInvalid joins more than one error in brackets). */
export function invalid(kind: string, group: string, name: string, errors: FieldError[]): ApiError {
  const qualifiedKind = group ? `${kind}.${group}` : kind;
  const list = errors.length === 1 ? errors[0]!.message : `[${errors.map((e) => e.message).join(', ')}]`;
  return status(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, {
    name,
    ...(group ? { group } : {}),
    kind,
    causes: errors.map((e) => ({ reason: e.type, message: e.message.slice(e.field.length + 2), field: e.field })),
  });
}

export const badRequest = (message: string): ApiError => status(400, 'BadRequest', message);

export const forbidden = (q: Qualified, name: string, why: string): ApiError =>
  status(403, 'Forbidden', `${qualifiedName(q)} "${name}" is forbidden: ${why}`, { name, ...(q.group ? { group: q.group } : {}), kind: q.resource });

export const methodNotSupported = (q: Qualified, action: string): ApiError =>
  status(405, 'MethodNotAllowed', `${action} is not supported on resources of kind "${qualifiedName(q)}"`, { ...(q.group ? { group: q.group } : {}), kind: q.resource });

/** 410 Expired, as the watch cache and etcd3 storage answer a compacted resourceVersion. */
export const resourceExpired = (message: string): ApiError => status(410, 'Expired', message);

export const unsupportedMediaType = (contentType: string): ApiError => status(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json; got ${contentType}`);

/** A path no resource answers: the apiserver's plain 404 Status. */
export const pathNotFound = (): ApiError => status(404, 'NotFound', 'the server could not find the requested resource', {});

export const notSimulated = (what: string): ApiError => status(501, 'NotImplemented', `${what} is not simulated by the meshwright lab`);

export const internalError = (err: unknown): ApiError =>
  status(500, 'InternalError', `Internal error occurred: ${err instanceof Error ? err.message : String(err)}`, { causes: [{ message: err instanceof Error ? err.message : String(err) }] });

export const unauthorized = (): ApiError => status(401, 'Unauthorized', 'Unauthorized');

export function successStatus(details?: StatusBody['details']): Record<string, unknown> {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', ...(details ? { details } : {}) };
}
