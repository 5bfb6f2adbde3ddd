/**
 * Domain errors, below the server layer: services throw `AppError` with a stable `code` (the web app and API users
 * translate codes) and the status class of the failure; src/server/error-handler.ts maps them to HTTP answers with the
 * Arabic message of src/server/errors.ts.
 */
/** The one error type. `code` is stable and translated by clients; `message` is for humans and logs. */
export class AppError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }
}

export const badRequest = (code: string, message: string, details?: unknown) => new AppError(400, code, message, details);
export const unauthorized = (message = 'You need to sign in.') => new AppError(401, 'unauthenticated', message);
export const forbidden = (message = 'You are not allowed to do this.', code = 'forbidden') => new AppError(403, code, message);
export const notFound = (what = 'Resource') => new AppError(404, 'not_found', `${what} not found.`);
export const conflict = (code: string, message: string, details?: unknown) => new AppError(409, code, message, details);

export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string } | null;
  return e?.code === 'SQLITE_CONSTRAINT_UNIQUE' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === '23505';
}
