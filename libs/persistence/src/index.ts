export * from './data-source';
export * from './database-admin';
export * from './pg-errors';
export * from './messaging-tables.migration';
export * from './outbox';
export * from './outbox-relay';
export * from './inbox';
export * from './paging';
