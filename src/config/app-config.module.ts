import { DynamicModule } from '@nestjs/common';
import { ConfigModule, registerAs } from '@nestjs/config';
import { AppConfig, APP_CONFIG_NAMESPACES } from './app-config';
import { Env, loadAppConfig } from './load-app-config';

/** Read by main.ts's ConfigModule; variables already in the environment win over it. */
const ENV_FILE = '.env';

/** The configuration the app starts with. */
export interface AppConfiguration {
  /** Every namespace's value, for what is decided before Nest creates a provider: the logger, the modules registered. */
  readonly values: AppConfig;
  /** `ConfigModule.forRoot` serving the same values to the app's providers. */
  readonly module: DynamicModule;
}

/**
 * Reads the configuration with @nestjs/config: `ConfigModule.forRoot({ isGlobal: true, validate,
 * load })` reads the environment and .env, `validate` checks every variable and resolves the
 * namespaces (`loadAppConfig`), and each namespace is registered with `registerAs`. Providers
 * read them through ConfigService (`config.get('otp', { infer: true })`) or inject one
 * (`@Inject(otpConfig.KEY) otp: ConfigType<typeof otpConfig>`). With `env` (tests) that object
 * is the whole environment, no .env and no process.env, so apps built side by side in one process
 * never share a setting. Rejects with AppConfigError.
 */
export async function loadConfiguration(env?: Env): Promise<AppConfiguration> {
  let values: AppConfig | undefined;
  const resolved = (): AppConfig => {
    if (values === undefined)
      throw new Error('The configuration is read by ConfigModule.forRoot, before any provider.');
    return values;
  };
  const module = await ConfigModule.forRoot({
    isGlobal: true,
    ...(env === undefined ? { envFilePath: ENV_FILE } : { ignoreEnvFile: true, validatePredefined: false }),
    // ConfigService answers from the namespaces only, never from process.env.
    skipProcessEnv: true,
    // The namespaces, not the variables, come back: ConfigModule copies top-level strings it is
    // given back into process.env, which an app built in a test must leave alone.
    validate: (variables: Env) => (values = loadAppConfig(env ?? variables)),
    load: APP_CONFIG_NAMESPACES.map(({ NAMESPACE }) => registerAs(NAMESPACE, () => resolved()[NAMESPACE])),
  });
  return { values: resolved(), module };
}
