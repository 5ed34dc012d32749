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
    const id = '0b8f4a52-6a3c-4d4e-9f55-3f1d2a7c9e10';
    const cursor = encodeCursor(['2026-11-26T10:00:00.000Z', id]);
    expect(decodeCursor(cursor, ['timestamptz', 'uuid'])).toEqual(['2026-11-26T10:00:00.000Z', id]);
    expect(() => decodeCursor('definitely-not-a-cursor', ['timestamptz', 'uuid'])).toThrow(
      expect.objectContaining({ code: 'BAD_USER_INPUT', details: { field: 'after' } }),
    );
    expect(() => decodeCursor(encodeCursor(['only-one']), ['timestamptz', 'uuid'])).toThrow(/after is not a cursor/);
  });

  it('refuses cursors whose values would fail a cast in SQL', () => {
    const id = '0b8f4a52-6a3c-4d4e-9f55-3f1d2a7c9e10';
    const refused = [
      ['x', id],
      ['2026-11-26T10:00:00.000Z', 'not-a-uuid'],
      [{}, id],
      ['2026-13-45T99:00:00.000Z', id],
    ];
    for (const values of refused) {
      expect(() => decodeCursor(encodeCursor(values), ['timestamptz', 'uuid'])).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
    }
    expect(() => decodeCursor(encodeCursor(['12abc', id]), ['numeric', 'uuid'])).toThrow(/after is not a cursor/);
    expect(() => decodeCursor(encodeCursor(['2026-02-31x', id]), ['date', 'uuid'])).toThrow(/after is not a cursor/);
    expect(decodeCursor(encodeCursor(['-infinity', id]), ['timestamptz', 'uuid'])).toEqual(['-infinity', id]);
    expect(decodeCursor(encodeCursor(['-1', id]), ['numeric', 'uuid'])).toEqual(['-1', id]);
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
