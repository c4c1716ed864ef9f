import type { Type } from '@nestjs/common';
import { ConfigObject, getConfigToken } from '@nestjs/config';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import type { Environment } from './app-config';

/** The environment as given: the process's (and .env) when main.ts starts the app, a plain object in tests. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface ConfigNamespaceDefinition<V extends object, T extends ConfigObject> {
  /** The variables the namespace owns: one field each, decorated (env.decorators.ts); an initializer is the default. */
  readonly variables: Type<V>;
  /**
   * What is wrong across variables, once each has passed its own check (one that failed holds its
   * default here). `given` is the environment as given, for a reader that needs it raw.
   */
  readonly check?: (env: Environment, given: Env) => readonly string[];
  /** The namespace's value: what `config.get(namespace)` and `@Inject(x.KEY)` give. */
  readonly read: (env: Environment, given: Env) => T;
}

/**
 * A namespace of the configuration as `registerAs` shapes one — a function that returns the value,
 * with its injection token as `KEY`, so `ConfigType<typeof otpConfig>` is the value's type — whose
 * function reads the validated environment it is given rather than process.env.
 */
export type ConfigNamespace<N extends string, V extends object, T extends ConfigObject> = ((
  env: Environment,
  given: Env,
) => T) &
  ConfigNamespaceDefinition<V, T> & {
    readonly NAMESPACE: N;
    /** The token `registerAs(NAMESPACE, …)` registers the value under: `@Inject(otpConfig.KEY)`. */
    readonly KEY: string;
  };

export function configNamespace<const N extends string, V extends object, T extends ConfigObject>(
  namespace: N,
  definition: ConfigNamespaceDefinition<V, T>,
): ConfigNamespace<N, V, T> {
  const read = (env: Environment, given: Env): T => definition.read(env, given);
  return Object.assign(read, definition, { NAMESPACE: namespace, KEY: getConfigToken(namespace) });
}

/**
 * One variables class read from `given` (class-transformer) and checked (class-validator): every
 * value trimmed, an empty one unset; one message per variable that fails, and that variable set
 * back to its default, so checks across variables never report it a second time.
 */
export function readVariables<V extends object>(
  variables: Type<V>,
  given: Env,
): { readonly values: V; readonly problems: string[] } {
  const present = Object.fromEntries(
    Object.entries(given)
      .map(([name, value]) => [name, value?.trim()] as const)
      .filter(([, value]) => value !== undefined && value !== ''),
  );
  const values = plainToInstance(variables, present, { excludeExtraneousValues: true, exposeDefaultValues: true });
  const defaults = new variables() as Record<string, unknown>;
  const problems: string[] = [];
  for (const error of validateSync(values)) {
    problems.push(firstMessage(error));
    (values as Record<string, unknown>)[error.property] = defaults[error.property];
  }
  return { values, problems };
}

// Stacked constraints (whole number, minimum, maximum) share one message: show it once.
const firstMessage = (error: ValidationError): string =>
  Object.values(error.constraints ?? {})[0] ?? `${error.property} is not valid.`;
