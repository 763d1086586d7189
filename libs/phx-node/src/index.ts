export * from './action-code';
export * from './email-type.enum';
export * from './notification-type.enum';
