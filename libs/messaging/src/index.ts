export * from './event-consumer';
export * from './kafka';
export * from './latest-subscriber';
export * from './outbox-publisher';
