import { BoardSetupDocument, MoveOpportunityDocument } from '../graphql/generated/graphql';
import { createGraphQLClient } from './client';

const unavailable = () =>
  new Response(JSON.stringify({ errors: [{ message: 'The opportunity service is unavailable', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }] }), {
    headers: { 'content-type': 'application/json' },
  });
const answer = (data: object) => new Response(JSON.stringify({ data }), { headers: { 'content-type': 'application/json' } });

describe('the GraphQL client', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends the trusted-document hash with the bearer token and the client name, and retries a read a service dropped', async () => {
    // Arrange
    const bodies: any[] = [];
    const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
      bodies.push({ body: JSON.parse(String(init.body)), headers: init.headers });
      return bodies.length === 1 ? unavailable() : answer({ __typename: 'Query', pipelines: [], stageCriteria: [], dealSizeBands: [], salesReps: [] });
    });
    vi.stubGlobal('fetch', fetchMock);

    // Act
    const result = await createGraphQLClient('token-1', () => undefined)
      .query(BoardSetupDocument, {})
      .toPromise();

    // Assert
    expect(result.error).toBeUndefined();
    expect(result.data?.pipelines).toEqual([]);
    expect(bodies).toHaveLength(2);
    expect(bodies[0].body.query).toBeUndefined();
    expect(bodies[0].body.extensions.persistedQuery.sha256Hash).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(bodies[0].headers).toMatchObject({ authorization: 'Bearer token-1', 'apollographql-client-name': 'pipeline-web' });
  });

  it('never retries a write', async () => {
    // Arrange
    const fetchMock = vi.fn(async () => unavailable());
    vi.stubGlobal('fetch', fetchMock);

    // Act
    const result = await createGraphQLClient('token-1', () => undefined)
      .mutation(MoveOpportunityDocument, { input: { opportunityId: 'o1', toStage: 'PROPOSAL' } })
      .toPromise();

    // Assert
    expect(result.error?.graphQLErrors[0].extensions.code).toBe('SUBGRAPH_UNAVAILABLE');
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
