export * from '@pipeline/test-infra';
export * from './graphql-client';
export * from './service-harness';
export * from './actors';
export * from './e2e-stack';
// The tools need it too (analytics:rebuild), so it lives with the local infrastructure.
export { waitForQuiet } from '@pipeline/dev-infra';
export * from './fact-publisher';
export * from './schema-drift';
