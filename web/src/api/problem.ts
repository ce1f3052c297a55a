// problem+json answers (RFC 9457 with Kommo's validation-errors) turned into what a form shows:
// a message per field, and one sentence for the rest.
export interface ValidationError {
  code?: string;
  path?: string;
  detail?: string;
}

export interface Problem {
  title?: string;
  type?: string;
  status?: number;
  detail?: string;
  'validation-errors'?: { request_id?: string; errors?: ValidationError[] }[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem;
  readonly retryAfter: number | null;

  constructor(status: number, problem: Problem, headers?: Headers) {
    super(problemMessage(status, problem));
    this.status = status;
    this.problem = problem;
    const retry = headers?.get('Retry-After');
    this.retryAfter = retry !== null && retry !== undefined && /^\d+$/.test(retry) ? Number(retry) : null;
  }

  // The last part of the problem type ("two-factor-required"), or "".
  get kind(): string {
    const type = this.problem.type ?? '';
    return type.slice(type.lastIndexOf('/') + 1);
  }
}

export function problemMessage(status: number, problem: Problem): string {
  const detail = problem.detail?.trim();
  if (detail) return detail.charAt(0).toUpperCase() + detail.slice(1);
  if (problem.title) return problem.title;
  return `The server answered ${status}`;
}

// Field errors keyed by the last segment of their path ("rights.leads.view" -> the full path
// and "view"), for forms that name their inputs after the API's fields.
export function fieldErrors(problem: Problem): Record<string, string> {
  const out: Record<string, string> = {};
  for (const group of problem['validation-errors'] ?? []) {
    for (const error of group.errors ?? []) {
      if (!error.path) continue;
      const message = error.detail ?? error.code ?? 'Invalid value';
      out[error.path] = message;
      const last = error.path.slice(error.path.lastIndexOf('.') + 1);
      if (!(last in out)) out[last] = message;
    }
  }
  return out;
}

// A form's view of a refused request: the messages of the fields it shows (`shown`, by API
// field name), and the refusal in one sentence when none of them carries it.
export function formRefusal(error: unknown, shown: readonly string[]): { fields: Record<string, string>; form: string | null } {
  if (!error) return { fields: {}, form: null };
  const all = error instanceof ApiError ? fieldErrors(error.problem) : {};
  const fields: Record<string, string> = {};
  for (const name of shown) if (all[name]) fields[name] = all[name];
  const form = Object.keys(fields).length > 0 ? null : error instanceof Error ? error.message : String(error);
  return { fields, form };
}
