export * from './message-encoding';
