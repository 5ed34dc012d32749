// TypeORM's PostgreSQL driver answers an UPDATE … RETURNING with [rows, affected], not with the rows alone.
export function updatedRows<T>(result: unknown): T[] {
  return Array.isArray(result) && Array.isArray(result[0]) && typeof result[1] === 'number' ? (result[0] as T[]) : (result as T[]);
}
