import { AppConfigError } from './app-config.error';
import { loadAppConfig } from './load-app-config';

/** The problems `loadAppConfig` refuses `env` with; fails the test when it is accepted. */
export const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadAppConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(AppConfigError);
    return [...(error as AppConfigError).problems];
  }
  throw new Error('expected the configuration to be refused');
};
