// One error type for every fake service: the protocol layer turns it into an XML
// <ErrorResponse> (query) or a `__type` body (JSON), with the HTTP status AWS uses.
export class AwsError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export const validationError = (message: string): AwsError => new AwsError('ValidationError', message);
