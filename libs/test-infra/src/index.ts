export * from './infrastructure';
export * from './kafka-reader';
export * from './text-search';
export * from './wait-for';
