// Errors that carry their HTTP answer: thrown anywhere, turned into a response in one place.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** Field -> what is wrong with it, for 400s. */
    readonly details?: Record<string, string>,
    /** More fields for a JSON answer, such as the current answers beside a 409. */
    readonly extra?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export const badRequest = (message: string, details?: Record<string, string>) => new ApiError(400, message, details);
export const unauthorized = (message: string) => new ApiError(401, message);
export const notFound = (message: string) => new ApiError(404, message);
export const conflict = (message: string, extra?: Record<string, unknown>) =>
  new ApiError(409, message, undefined, extra);
