export * from './errors';
export * from './money';
export * from './ids';
export * from './dates';
export * from './identity';
export * from './pipeline';
export * from './stats';
export * from './text';
