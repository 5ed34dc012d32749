import { adminActor, expectNoErrors, waitFor } from '@pipeline/testing';

import { callAs, serviceProcess } from './faults-env';
import { createOpportunity } from './scenario';

describe('a subgraph killed while the gateway serves', () => {
  it('fails only the fields it provides, with a clear error; other queries keep working; it serves again on restart', async () => {
    // Arrange
    const admin = await callAs(adminActor());
    const opportunityId = await createOpportunity(admin);
    const deal = serviceProcess('deal');
    const query = `query($id: ID!) { opportunity(id: $id) { id name deal { outcome } } }`;

    // Act
    await import('./faults-env').then(({ killByPort }) => killByPort('deal', 'SIGKILL'));
    const partial = await admin<any>(query, { id: opportunityId });
    const unaffected = await admin<any>(`{ pipelines { id } }`);
    await deal.start();
    const healed = await waitFor(
      async () => {
        const response = await admin<any>(query, { id: opportunityId });
        return response.errors ? null : response;
      },
      { timeoutMs: 30_000, what: 'the deal subgraph to serve again' },
    );

    // Assert
    expect(partial.data?.opportunity).toEqual({ id: opportunityId, name: expect.any(String), deal: null });
    expect(partial.errors?.map((error: any) => [error.extensions.code, error.extensions.serviceName])).toEqual([['SUBGRAPH_UNAVAILABLE', 'deal']]);
    expect(partial.errors?.[0].message).toMatch(/deal service is unavailable/);
    expect(expectNoErrors(unaffected).pipelines.length).toBeGreaterThan(0);
    expect(healed.data.opportunity.deal).toBeNull();
  });
});
