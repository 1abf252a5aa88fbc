/**
 * Error codes shared by the server, the web client and the CLI. The MLflow codes and
 * their HTTP statuses are MLflow's own (databricks.proto + mlflow/exceptions.py), so an
 * MLflow client reacts to our errors exactly as to MLflow's.
 */
export const errorStatus = {
  INVALID_PARAMETER_VALUE: 400,
  MALFORMED_REQUEST: 400,
  BAD_REQUEST: 400,
  INVALID_STATE: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  RESOURCE_CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  REQUEST_LIMIT_EXCEEDED: 429,
  INTERNAL_ERROR: 500,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof errorStatus;

/** The body every API error carries, MLflow's shape. */
export interface ErrorBody {
  error_code: ErrorCode;
  message: string;
}

export function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorBody).error_code === 'string' &&
    typeof (value as ErrorBody).message === 'string'
  );
}
