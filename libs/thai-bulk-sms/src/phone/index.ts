export * from './thai-phone';
export * from './is-thai-mobile.decorator';
