import { errorStatus, type ErrorCode } from '../shared/errors.js';

/** The one error type services throw; the error-handler plugin maps it to status and body. */
export class ApiError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    /** Fields added to the error body, e.g. a log's current size on a 409. */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message);
    this.status = errorStatus[code];
  }
}

export const invalidParameter = (message: string) => new ApiError('INVALID_PARAMETER_VALUE', message);
export const notFound = (message: string) => new ApiError('RESOURCE_DOES_NOT_EXIST', message);
export const alreadyExists = (message: string) => new ApiError('RESOURCE_ALREADY_EXISTS', message);
export const conflict = (message: string) => new ApiError('RESOURCE_CONFLICT', message);
