export * from './chromium';
export * from './first-run';
export * from './kafka-broker';
export * from './ports';
export * from './postgres';
export * from './quiet';
export * from './stack';
export * from './workspace';
