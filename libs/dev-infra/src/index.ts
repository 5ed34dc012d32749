export * from './workspace';
export * from './kafka-broker';
export * from './first-run';
export * from './ports';
export * from './postgres';
export * from './stack';
export * from './quiet';
export * from './chromium';
