/**
 * A refusal or failure of the platform API as a typed error: the problem document's `code` (a TE_ERR_
 * code from docs/errors.md), its HTTP status and text. Network failures that outlast the retries arrive
 * as status 0 with TE_ERR_UNAVAILABLE, so callers branch on codes only.
 */
import type { ErrorCode } from '../core/errors.js';

export class ApiError extends Error {
  constructor(
    /** HTTP status; 0 when no response arrived. */
    readonly status: number,
    readonly code: string,
    message: string,
    /** The problem document as received (RFC 9457), or {} without one. */
    readonly problem: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ApiError';
  }

  /** The problem's title (RFC 9457), when the answer had one. */
  get title(): string | undefined {
    return typeof this.problem.title === 'string' ? this.problem.title : undefined;
  }

  /** The problem's detail (RFC 9457), when the answer had one. */
  get detail(): string | undefined {
    return typeof this.problem.detail === 'string' ? this.problem.detail : undefined;
  }

  is(code: ErrorCode): boolean {
    return this.code === code;
  }

  /** One line for a log. */
  toLine(): string {
    return `${this.code} (HTTP ${this.status}): ${this.message}`;
  }
}

export function isApiError(value: unknown, code?: ErrorCode): value is ApiError {
  return value instanceof ApiError && (code === undefined || value.code === code);
}

/** The error for a non-2xx response, from its problem document when it has one. */
export function apiErrorFrom(status: number, body: unknown, what: string): ApiError {
  const problem = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {};
  const code = typeof problem.code === 'string' ? problem.code : fallbackCode(status);
  const detail =
    typeof problem.detail === 'string'
      ? problem.detail
      : typeof problem.title === 'string'
        ? problem.title
        : typeof body === 'string' && body.length > 0
          ? body.slice(0, 200)
          : `HTTP ${status}`;
  return new ApiError(status, code, `${what}: ${detail}`, problem);
}

function fallbackCode(status: number): string {
  if (status === 401) return 'TE_ERR_UNAUTHORIZED';
  if (status === 403) return 'TE_ERR_FORBIDDEN';
  if (status === 404) return 'TE_ERR_NOT_FOUND';
  if (status === 429) return 'TE_ERR_RATE_LIMITED';
  if (status === 503) return 'TE_ERR_UNAVAILABLE';
  return status >= 500 ? 'TE_ERR_INTERNAL' : 'TE_ERR_VALIDATION';
}
