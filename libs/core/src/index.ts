export * from './service-codes';
export * from './kafka/topics';
export * from './kafka/types';
export * from './websocket/path-builder';
export * from './websocket/topics';
export * from './websocket/rooms';
export * from './websocket/payloads';
