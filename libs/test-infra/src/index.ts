export * from './infrastructure';
export * from './kafka-reader';
export * from './wait-for';
