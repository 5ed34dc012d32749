export * from './cloud-event';
export * from './documents';
export * from './schemas';
export * from './topics';
