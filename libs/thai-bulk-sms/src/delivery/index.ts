export * from './delivery-report.types';
export * from './delivery-report.parser';
