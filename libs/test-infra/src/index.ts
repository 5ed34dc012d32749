export * from './infrastructure';
export * from './wait-for';
export * from './kafka-reader';
