import { decodeCursor, encodeCursor, pageSize, toConnection } from './paging';

describe('paging', () => {
  it('defaults to 50 and refuses sizes above 500 or below 0', () => {
    expect(pageSize(undefined)).toBe(50);
    expect(pageSize(500)).toBe(500);
    expect(() => pageSize(501)).toThrow(/first must be/);
    expect(() => pageSize(-1)).toThrow(/first must be/);
    expect(() => pageSize(1.5)).toThrow(/first must be/);
  });

  it('round-trips cursors and refuses forged ones as bad input on "after"', () => {
    const cursor = encodeCursor(['2026-11-26T10:00:00.000Z', 'id-1']);
    expect(decodeCursor(cursor, 2)).toEqual(['2026-11-26T10:00:00.000Z', 'id-1']);
    expect(() => decodeCursor('definitely-not-a-cursor', 2)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'after' } }));
    expect(() => decodeCursor(encodeCursor(['only-one']), 2)).toThrow(/after is not a cursor/);
  });

  it('builds Relay connections with the last cursor as endCursor', () => {
    const connection = toConnection({ items: [{ id: 'a' }, { id: 'b' }], hasNextPage: true, totalCount: 7 }, (item) => item.id);
    expect(connection).toEqual({
      edges: [
        { cursor: 'a', node: { id: 'a' } },
        { cursor: 'b', node: { id: 'b' } },
      ],
      pageInfo: { hasNextPage: true, endCursor: 'b' },
      totalCount: 7,
    });
  });
});
