import { AppConfig, APP_CONFIG_NAMESPACES, Environment } from './app-config';
import { AppConfigError } from './app-config.error';
import { Env, readVariables } from './config-namespace';

export type { Env };

/**
 * Reads and validates the environment: each variable against its namespace's class, then what
 * involves several; every problem is collected, so the operator fixes them all in one go, and
 * nothing secret is echoed. Then every namespace's value. Throws AppConfigError.
 * `loadConfiguration` (app-config.module.ts) runs it as ConfigModule's `validate`.
 */
export function loadAppConfig(given: Env): AppConfig {
  const problems: string[] = [];
  const env = {} as Environment;
  for (const namespace of APP_CONFIG_NAMESPACES) {
    const read = readVariables<object>(namespace.variables, given);
    Object.assign(env, read.values);
    problems.push(...read.problems);
  }
  for (const namespace of APP_CONFIG_NAMESPACES) problems.push(...(namespace.check?.(env, given) ?? []));
  if (problems.length > 0) throw new AppConfigError(problems);
  // Each namespace's value under its name: the shape AppConfig spells out.
  return Object.fromEntries(
    APP_CONFIG_NAMESPACES.map((namespace) => [namespace.NAMESPACE, namespace(env, given)]),
  ) as AppConfig;
}
