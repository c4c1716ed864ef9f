/** Thrown when the environment is incomplete or wrong; `problems` lists every finding. */
export class AppConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(
      `Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        '\nSee .env.example and the configuration table in README.md.',
    );
    this.name = 'AppConfigError';
  }
}
