// The error catalogue: every error Kiln raises is a KilnError with a stable `code`.
// The CLI prints `message` (and `hint`) without a stack trace; the server maps `status` to a 4xx.

export interface Issue {
  /** where the problem is: a field path such as ['rows', 3, 'tenure'] or ['learningRate'] */
  path: (string | number)[];
  /** what was expected, in words */
  expected: string;
  /** what was found, in words */
  received: string;
  message?: string;
}

export const ERROR_CODES = {
  E_DATA_PARSE: 'a data file could not be parsed',
  E_DATA_SOURCE: 'a data source could not be opened or read',
  E_DATA_EMPTY: 'a data source holds no rows',
  E_DATA_SCHEMA: 'data does not have the expected columns or types',
  E_PARAM: 'a parameter has an invalid value',
  E_MODEL_FORMAT: 'a model file is invalid',
  E_NOT_FITTED: 'the estimator has not been fitted',
  E_NOT_FOUND: 'a named thing does not exist',
  E_VALIDATION: 'input failed validation',
  E_PROJECT: 'the project file is invalid',
  E_CONFLICT: 'the operation conflicts with the current state',
  E_AUTH: 'authentication is required or failed',
  E_PAYLOAD_TOO_LARGE: 'the request body is too large',
  E_BUDGET: 'the time budget was exceeded',
  E_ABORTED: 'the operation was aborted',
  E_STEP_FAILED: 'a step of a multi-step job failed (its own error was reported first)',
  E_INTERNAL: 'an internal error',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export interface KilnErrorOptions {
  /** a suggestion the user can act on */
  hint?: string;
  /** HTTP status when this error reaches the API edge */
  status?: number;
  details?: Record<string, unknown>;
  issues?: Issue[];
  cause?: unknown;
}

export class KilnError extends Error {
  readonly code: ErrorCode;
  readonly hint?: string;
  readonly status: number;
  readonly details: Record<string, unknown>;
  readonly issues: Issue[];

  constructor(code: ErrorCode, message: string, options: KilnErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.hint = options.hint;
    this.status = options.status ?? 400;
    this.details = options.details ?? {};
    this.issues = options.issues ?? [];
  }

  /** the JSON body of an API error response */
  toJSON(): { code: ErrorCode; message: string; hint?: string; issues?: Issue[] } {
    const out: { code: ErrorCode; message: string; hint?: string; issues?: Issue[] } = { code: this.code, message: this.message };
    if (this.hint) out.hint = this.hint;
    if (this.issues.length) out.issues = this.issues;
    return out;
  }
}

/** A file that cannot be parsed: names the file, the line (1-based) and the column (1-based field or char index). */
export class DataParseError extends KilnError {
  readonly file: string;
  readonly line?: number;
  readonly column?: number | string;

  constructor(file: string, message: string, where: { line?: number; column?: number | string; hint?: string; cause?: unknown } = {}) {
    const at = [where.line !== undefined ? `line ${where.line}` : '', where.column !== undefined ? `column ${where.column}` : '']
      .filter(Boolean)
      .join(', ');
    super('E_DATA_PARSE', `${file}${at ? ` (${at})` : ''}: ${message}`, {
      hint: where.hint,
      details: { file, line: where.line, column: where.column },
      cause: where.cause,
    });
    this.file = file;
    this.line = where.line;
    this.column = where.column;
  }
}

/** A source that cannot be reached or read: missing file, unknown scheme, database down, failing query. */
export class DataSourceError extends KilnError {
  constructor(message: string, options: KilnErrorOptions = {}) {
    super('E_DATA_SOURCE', message, options);
  }
}

/** One or more invalid parameters; the message names each one, e.g. `learningRate = -1: must be > 0`. */
export class ParamError extends KilnError {
  readonly param: string;
  readonly value: unknown;

  constructor(issues: Issue[], owner?: string) {
    const first = issues[0];
    const lines = issues.map((i) => i.message ?? `${i.path.join('.')} = ${i.received}: ${i.expected}`);
    super('E_PARAM', `${owner ? `${owner}: ` : ''}${lines.join('; ')}`, { issues });
    this.param = first ? String(first.path.join('.')) : '';
    this.value = first?.received;
  }
}

export class ModelFormatError extends KilnError {
  constructor(message: string, options: KilnErrorOptions = {}) {
    super('E_MODEL_FORMAT', message, options);
  }
}

/** Input that failed validation against a schema (a prediction request, a project file). */
export class ValidationError extends KilnError {
  constructor(message: string, issues: Issue[], options: Omit<KilnErrorOptions, 'issues'> = {}) {
    super('E_VALIDATION', message, { ...options, issues });
  }
}

export class NotFoundError extends KilnError {
  constructor(message: string, options: KilnErrorOptions = {}) {
    super('E_NOT_FOUND', message, { status: 404, ...options });
  }
}

export function isKilnError(e: unknown): e is KilnError {
  return e instanceof KilnError;
}

/** Describe any value briefly for an error message (never dumps large objects). */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return `array(${value.length})`;
  if (typeof value === 'object') return 'object';
  return String(value);
}
