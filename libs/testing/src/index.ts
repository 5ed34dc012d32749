export * from '@pipeline/test-infra';
export * from './graphql-client';
export * from './service-harness';
export * from './actors';
export * from './e2e-stack';
export * from './quiet';
