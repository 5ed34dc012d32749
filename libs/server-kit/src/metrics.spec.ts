import { ApolloServer } from '@apollo/server';

import { createMetrics, metricsPlugin } from './metrics';

describe('operation metrics', () => {
  it('label operations by type and root field from the schema, never by the client-chosen name', async () => {
    // Arrange
    const metrics = createMetrics('test');
    const server = new ApolloServer({
      typeDefs: 'type Query { hello: String }',
      resolvers: { Query: { hello: () => 'hi' } },
      plugins: [metricsPlugin(metrics)],
    });
    await server.start();

    // Act
    await server.executeOperation({ query: 'query ChosenByClient123 { hello }' });
    await server.executeOperation({ query: 'query AnotherName { nope }' });
    await server.stop();

    // Assert
    const text = await metrics.registry.metrics();
    expect(text).toContain('graphql_operations_total{operation="query hello",outcome="ok",service="test"} 1');
    expect(text).toContain('graphql_operations_total{operation="invalid",outcome="error",service="test"} 1');
    expect(text).not.toMatch(/ChosenByClient123|AnotherName/);
  });
});
