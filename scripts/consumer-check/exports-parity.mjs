// Copied into each consumer app's folder and run there by run.mjs (`node exports-parity.mjs`, a
// separate process, because it loads both builds on purpose — what an app must never do).
// For every entry point: `import` gets the ESM build and `require` the CommonJS build, both load
// against the app's own Nest packages, and both export the same names.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ENTRIES = [
  'nestjs-thaibulksms',
  'nestjs-thaibulksms/sandbox',
  'nestjs-thaibulksms/testing',
  'nestjs-thaibulksms/queue',
  'nestjs-thaibulksms/undici',
  'nestjs-thaibulksms/telemetry',
  'nestjs-thaibulksms/ledger',
  'nestjs-thaibulksms/compliance',
  'nestjs-thaibulksms/transport',
  'nestjs-thaibulksms/instrumentation',
  'nestjs-thaibulksms/helpers',
];

let failures = 0;
const fail = (what) => {
  failures += 1;
  console.log(`NOT OK - ${what}`);
};

for (const entry of ENTRIES) {
  const esmUrl = import.meta.resolve(entry);
  const cjsPath = require.resolve(entry);
  if (!esmUrl.includes('/dist/esm/')) fail(`import "${entry}" resolved to ${esmUrl}, not the ESM build`);
  if (/[\\/]dist[\\/]esm[\\/]/.test(cjsPath)) fail(`require("${entry}") resolved to ${cjsPath}, not the CommonJS build`);

  let esmNames;
  try {
    esmNames = Object.keys(await import(entry)).sort();
  } catch (err) {
    fail(`import "${entry}" threw: ${err.stack}`);
    continue;
  }
  let cjsNames;
  try {
    cjsNames = Object.keys(require(entry)).filter((k) => k !== '__esModule').sort();
  } catch (err) {
    if (err.code === 'ERR_REQUIRE_ESM' && !process.features.require_module) {
      console.log(`ok - import "${entry}": ${esmNames.length} names; require() skipped: Node ${process.version} cannot require() the app's ESM-only Nest packages`);
      continue;
    }
    fail(`require("${entry}") threw: ${err.stack}`);
    continue;
  }
  const onlyEsm = esmNames.filter((k) => !cjsNames.includes(k));
  const onlyCjs = cjsNames.filter((k) => !esmNames.includes(k));
  if (onlyEsm.length || onlyCjs.length) {
    fail(`"${entry}": ESM-only names [${onlyEsm.join(', ')}], CommonJS-only names [${onlyCjs.join(', ')}]`);
  } else {
    console.log(`ok - "${entry}": import (dist/esm) and require (dist) both load and export the same ${esmNames.length} names`);
  }
}

if (failures) {
  console.log(`EXPORTS-PARITY FAILED: ${failures}`);
  process.exit(1);
}
console.log('EXPORTS-PARITY OK');
