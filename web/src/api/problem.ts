/**
 * The server's RFC 9457 problems, turned into sentences a person can act on. The code stays visible
 * (small) so a support request can quote it.
 */
export interface ProblemBody {
  readonly status: number;
  readonly code?: string;
  readonly title?: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly path?: string;
}

export class ApiProblem extends Error {
  constructor(readonly problem: ProblemBody) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
    this.name = 'ApiProblem';
  }
}

export async function problemFromResponse(response: Response): Promise<ApiProblem> {
  try {
    const body = (await response.json()) as Partial<ProblemBody>;
    return new ApiProblem({ ...body, status: response.status });
  } catch {
    return new ApiProblem({ status: response.status, title: response.statusText });
  }
}

/** What went wrong, in plain language, and what to do about it. */
export function plainLanguage(error: unknown): {
  message: string;
  action: string | undefined;
  code: string | undefined;
} {
  if (error instanceof ApiProblem) {
    const { status, code, detail, hint } = error.problem;
    const message =
      status === 401
        ? 'Your session has ended.'
        : status === 403
          ? 'Your role cannot see this.'
          : status === 404
            ? 'There is nothing here yet.'
            : status === 429
              ? 'The server is busy.'
              : status >= 500
                ? 'The server could not answer.'
                : (detail ?? 'The request was refused.');
    const action =
      status === 401
        ? 'Log in again.'
        : status === 429 || status >= 500
          ? 'It will retry by itself; reload if it persists.'
          : hint;
    return {
      message: status === 404 && detail !== undefined ? `${message} (${detail})` : message,
      action,
      code,
    };
  }
  if (error instanceof TypeError) {
    return {
      message: 'The platform cannot be reached.',
      action: 'Check that tenet is running; this page retries.',
      code: undefined,
    };
  }
  return {
    message: error instanceof Error ? error.message : String(error),
    action: undefined,
    code: undefined,
  };
}
