export * from './topics';
export * from './schemas';
export * from './cloud-event';
export * from './documents';
