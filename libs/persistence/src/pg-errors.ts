interface PgErrorLike {
  code?: string;
  constraint?: string;
  driverError?: PgErrorLike;
  message?: string;
}

const pgError = (error: unknown): PgErrorLike => {
  const candidate = error as PgErrorLike;
  return candidate?.driverError ?? candidate ?? {};
};

// PostgreSQL cancelled the statement: it ran past statement_timeout (or an operator cancelled it).
export const isStatementTimeout = (error: unknown): boolean => pgError(error).code === '57014';

export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const details = pgError(error);
  return details.code === '23505' && (constraint === undefined || details.constraint === constraint);
}

// Errors that go away on their own (server restart, dropped connection, serialization clash): retry, never skip.
export function isTransientDatabaseError(error: unknown): boolean {
  const details = pgError(error);
  const code = details.code ?? '';
  if (code.startsWith('08') || code.startsWith('57P') || code === '40001' || code === '40P01' || code === '53300') return true;
  const message = `${details.message ?? (error as Error)?.message ?? ''}`;
  return /ECONNREFUSED|ECONNRESET|Connection terminated|terminating connection|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(
    message,
  );
}
