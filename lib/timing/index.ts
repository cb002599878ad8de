export * from './best-time';
