export * from './actors';
export * from './e2e-stack';
export * from './graphql-client';
export * from './service-harness';
export * from '@pipeline/test-infra';
// The tools need it too (analytics:rebuild), so it lives with the local infrastructure.
export * from './fact-publisher';
export * from './personal-data-owner';
export * from './schema-drift';
export { waitForQuiet } from '@pipeline/dev-infra';
