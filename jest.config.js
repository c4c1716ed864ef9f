// One Jest run for the library, the sample app and the e2e suite; SWC keeps the
// decorator metadata Nest's DI needs and transpiles far faster than ts-jest.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)s$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@app/thai-bulk-sms$': '<rootDir>/libs/thai-bulk-sms/src',
    '^@app/thai-bulk-sms/(.*)$': '<rootDir>/libs/thai-bulk-sms/src/$1',
    // The READMEs' examples import the published name; test/readme-*.e2e-spec.ts runs them as pasted.
    '^nestjs-thaibulksms$': '<rootDir>/libs/thai-bulk-sms/src',
    '^nestjs-thaibulksms/(.*)$': '<rootDir>/libs/thai-bulk-sms/src/$1',
  },
};

module.exports = {
  // Jest's own output, plus one summary at the end of the suites skipped for a missing service, and why.
  reporters: ['default', '<rootDir>/test/support/skipped-suites.reporter.js'],
  projects: [
    { ...shared, displayName: 'lib', testMatch: ['<rootDir>/libs/**/*.spec.ts'] },
    { ...shared, displayName: 'app', testMatch: ['<rootDir>/src/**/*.spec.ts'] },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      // Counts unhandled rejections on the real process and records what the apps say, per spec
      // file; the teardown scans all of it for secrets once every spec has run (issue 6).
      testEnvironment: '<rootDir>/test/support/e2e-environment.js',
      globalSetup: '<rootDir>/test/support/e2e-global-setup.ts',
      globalTeardown: '<rootDir>/test/support/e2e-global-teardown.ts',
    },
  ],
};
