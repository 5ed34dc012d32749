// The public error codes of the API (contract/README.md); they are stable, clients branch on them.
export type ErrorCode = 'UNAUTHENTICATED' | 'FORBIDDEN' | 'BAD_USER_INPUT' | 'NOT_FOUND' | 'CONFLICT' | 'STAGE_GATE_FAILED' | 'APPROVAL_REQUIRED';

export interface DomainErrorDetails {
  field?: string;
  unmetCriteria?: string[];
  [key: string]: unknown;
}

// Thrown by use cases for every rejected request; the server kit maps it to a GraphQL error.
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const badInput = (field: string, message: string, extra: DomainErrorDetails = {}): DomainError =>
  new DomainError('BAD_USER_INPUT', message, { ...extra, field });

export const notFound = (what: string, id: string): DomainError =>
  new DomainError('NOT_FOUND', `${what} ${id} does not exist or is not visible to you`, { id });

export const forbidden = (message: string): DomainError => new DomainError('FORBIDDEN', message);

export const conflict = (message: string, extra: DomainErrorDetails = {}): DomainError => new DomainError('CONFLICT', message, extra);

export const stageGateFailed = (message: string, unmetCriteria: string[]): DomainError => new DomainError('STAGE_GATE_FAILED', message, { unmetCriteria });

export const approvalRequired = (message: string, extra: DomainErrorDetails = {}): DomainError => new DomainError('APPROVAL_REQUIRED', message, extra);

export const isDomainError = (error: unknown): error is DomainError => error instanceof DomainError;
