export * from './aircraft.ts';
export * from './config.ts';
export * from './events.ts';
export * from './popularity.ts';
export * from './records.ts';
export * from './slug.ts';
export * from './topics.ts';
export * from './type-designators.ts';
