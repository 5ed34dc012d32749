export * from './kafka';
export * from './outbox-publisher';
export * from './event-consumer';
export * from './latest-subscriber';
