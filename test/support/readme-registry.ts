/**
 * What becomes of every code block of README.md and libs/thai-bulk-sms/README.md, by the key
 * `readmeBlocks()` gives it (`<readme> › <section> › <first line>`). A block missing here, or an
 * entry matching no block, fails test/readme-library.e2e-spec.ts: a README cannot gain a block
 * nobody runs, nor keep a reason for a block it no longer has.
 *
 * - `run`: executed as pasted. `library`: a TypeScript block, type-checked with all the others and
 *   run by the runner named `by` in test/readme-library.e2e-spec.ts against a sandbox. `app`: a
 *   shell block, run in order with the other `app` blocks against src/main.ts started as `npm
 *   start` starts it (test/readme-app.e2e-spec.ts); `app-queue`: the same against an app with
 *   QUEUE_ENABLED=true on a real Redis.
 * - `checked`: not a program (output, a file tree, a config fragment); what is checked instead.
 * - `notRun`: why it cannot run here, and what is checked instead when anything is.
 */
export type BlockFate =
  | { readonly run: 'library'; readonly by: string }
  | { readonly run: 'app' | 'app-queue' }
  | { readonly run: 'elsewhere'; readonly by: string }
  | { readonly checked: string }
  | { readonly notRun: string; readonly checked?: string };

export const README_BLOCKS: Readonly<Record<string, BlockFate>> = {
  'root › Quick start › npm ci && npm start    # the sample app on http://localhost:3000, against an in-process sandbox':
    {
      notRun:
        'installs dependencies, starts a server that runs until stopped, then the whole suite; this spec runs the Try it ' +
        'blocks against src/main.ts started as npm start starts it, and test/startup.e2e-spec.ts checks that start',
    },
  'root › Quick start › ThaiBulkSMS sample app — SANDBOX MODE (THAIBULKSMS_API_KEY is not set); nothing leaves this machine.':
    { checked: 'output: every line is what src/main.ts prints at start (addresses and token aside)' },
  "root › Try it › KEY='x-api-key: dev-key-change-me'": { run: 'app' },
  'root › Try it › SANDBOX=http://127.0.0.1:4010   # the "Sandbox inbox" address the app printed at start': {
    run: 'app',
  },
  'root › Try it › # Credit in both pools': { run: 'app' },
  'root › Try it › # Delivery-report webhook: called by ThaiBulkSMS, authenticated by the token in its path.': {
    run: 'app',
  },
  'root › Try it › # With QUEUE_ENABLED=true: queued in Redis, answered at once, sent in the background': {
    run: 'app-queue',
  },
  "root › Message ledger › # A send, then its record: the sandbox reports delivery to the app's webhook 1 s later": {
    run: 'app',
  },
  'root › Compliance › # Opt a number out of everything but OTP (scope "marketing", the default, stops only marketing)':
    {
      run: 'app',
    },
  'root › Scaling out › redis-server                                  # or: docker run -p 6379:6379 redis:7': {
    notRun:
      'starts Redis and app servers that run until stopped; the QUEUE_ENABLED=true block of Try it runs against such an ' +
      'app, and test/scale-out/ runs two of them',
  },
  'root › Observability › OTEL_ENABLED=true npm start': {
    notRun:
      'starts a server that runs until stopped; test/telemetry.e2e-spec.ts starts src/main.ts with OTEL_ENABLED=true ' +
      'and reads its /metrics the same way',
  },
  'root › How the sample app is built › src/': { checked: 'file tree: every file and folder it names exists' },
  'root › Reliability proof › npm run test:reliability   # ≈ 5–6 min: the whole e2e suite in band, RELIABILITY_LOAD_SECONDS=60 by default':
    { notRun: 'runs the whole e2e suite in band (5–6 minutes), this spec included' },
  'lib › Install › git clone https://github.com/nestjs-thaibulksms/nestjs-thaibulksms.git': {
    notRun: 'clones from the network; npm run check:consumers builds and packs the library the same way',
    checked: 'the tarball it names is the one npm run pack:lib writes (scripts/consumer-check/pack.mjs)',
  },
  'lib › Install › # NestJS 11': {
    notRun: 'installs packages into another app; npm run check:consumers installs the tarball into one app per major',
    checked:
      "the tarball path, and each major's @nestjs/axios and @nestjs/config are those of the consumer-check app of that " +
      'major; class-validator and class-transformer are on every line',
  },
  'lib › Quick start › // app.module.ts': { run: 'library', by: 'quick start' },
  'lib › Compliance › // compliance.module.ts': { run: 'library', by: 'compliance' },
  'lib › Compliance › // promotion.ts': { run: 'library', by: 'compliance' },
  'lib › Telemetry › // telemetry.module.ts': { run: 'library', by: 'telemetry' },
  'lib › Quick start › // orders.notifier.ts': { run: 'library', by: 'quick start' },
  'lib › Quick start › // orders.controller.ts': { run: 'library', by: 'quick start' },
  'lib › Quick start › // dev-sandbox.ts: run it with `npx ts-node dev-sandbox.ts`, then open the inbox at http://127.0.0.1:4010/':
    { run: 'library', by: 'quick start' },
  'lib › Quick start › # .env': {
    checked:
      "config: the sandbox's default address and credentials (SANDBOX_DEFAULT_CREDENTIALS); the quick start runs with it",
  },
  'lib › Usage › // send.ts': { run: 'library', by: 'send' },
  'lib › Usage › // flash-sale.ts': { run: 'library', by: 'bulk' },
  'lib › Usage › // estimate.ts': { run: 'library', by: 'estimate' },
  'lib › Usage › // otp.ts': { run: 'library', by: 'otp' },
  'lib › Usage › // credit.ts': { run: 'library', by: 'credit' },
  'lib › Usage › // delivery.controller.ts': { run: 'library', by: 'delivery reports' },
  'lib › Usage › // health.controller.ts': { run: 'library', by: 'health' },
  'lib › Usage › // notifications.module.ts': { run: 'library', by: 'named registrations' },
  'lib › Choosing a transport › npm install undici@^7   # undici 7 runs on Node >= 20.18.1 (8.x needs Node 22)': {
    notRun: 'installs a package; this repository has it',
    checked: "the major is this repository's and within the library's peer range",
  },
  'lib › Choosing a transport › // app.module.ts': { run: 'library', by: 'transport' },
  'lib › Errors › // sms.module.ts': { run: 'library', by: 'validation pipe' },
  'lib › Testing › # NestJS 11 (on Nest 10: @nestjs/testing@^10 jest@^29 ts-jest@^29 @types/jest@^29; on Nest 12: @nestjs/testing@^12)':
    {
      notRun: 'installs packages into another app',
      checked: 'the majors are those of the Nest 11 consumer-check app and of this repository',
    },
  'lib › Testing › // orders.notifier.spec.ts': {
    run: 'elsewhere',
    by: 'libs/thai-bulk-sms/src/testing/readme-example.spec.ts runs it (readme-example-sync.spec.ts keeps it identical); type-checked here',
  },
  'lib › Testing › {': { checked: 'config: the same keys as the Nest 12 consumer-check app, whose Jest run uses them' },
  'lib › Message ledger › npm install kysely pg                    # a PostgreSQL server (DATABASE_URL)': {
    notRun: 'installs packages into another app',
    checked: 'kysely, pg and @electric-sql/pglite are optional peers of the library',
  },
  'lib › Message ledger › // ledger.spec.ts': {
    run: 'elsewhere',
    by: 'libs/thai-bulk-sms/src/ledger/readme-ledger-example.spec.ts runs it (readme-example-sync.spec.ts keeps it identical); type-checked here',
  },
  'lib › Scaling out › npm install bullmq @nestjs/bullmq          # optional peers of nestjs-thaibulksms': {
    notRun: 'installs packages and starts Redis; the blocks below run against a real Redis',
  },
  'lib › Scaling out › // app.module.ts': { run: 'library', by: 'queue' },
  'lib › Scaling out › // alerts.controller.ts': { run: 'library', by: 'queue' },
};
