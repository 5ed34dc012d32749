export * from './workspace';
export * from './kafka-broker';
export * from './postgres';
export * from './stack';
export * from './chromium';
