export * from './infrastructure';
export * from './wait-for';
export * from './graphql-client';
export * from './service-harness';
export * from './actors';
export * from './kafka-reader';
export * from './e2e-stack';
