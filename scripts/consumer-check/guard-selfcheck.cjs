// Proves loopback-guard.cjs refuses what it promises, run by run.mjs before any consumer step:
//   node --require ./loopback-guard.cjs ./guard-selfcheck.cjs
// Prints `ok - …` per check and GUARD-SELFCHECK OK, or exits 1.
//
// Nothing here may leave the machine even if the guard were broken: the guard's patches and its
// isLoopback() are checked first, and nothing is attempted unless they are in place; the
// attempts then go to 192.0.2.1 (TEST-NET-1, RFC 5737, never routed) and to names under
// `.invalid` (RFC 6761, never resolvable).
'use strict';
const dgram = require('node:dgram');
const dns = require('node:dns');
const dnsPromises = require('node:dns/promises');
const http = require('node:http');
const net = require('node:net');

const OUTSIDE_IP = '192.0.2.1';
const OUTSIDE_NAME = 'consumer-check.invalid';
const TIMEOUT_MS = 3000;

let failures = 0;
function ok(condition, what) {
  console.log(`${condition ? 'ok' : 'NOT OK'} - ${what}`);
  if (!condition) failures += 1;
  return condition;
}

/** The guard's own message somewhere in an error or its cause chain (fetch wraps it). */
function refusedByGuard(err) {
  for (let e = err, depth = 0; e && depth < 5; e = e.cause, depth += 1) {
    if (String(e.message).includes('LOOPBACK-GUARD BLOCKED')) return true;
  }
  return false;
}

/** Settles with the error of an attempt (undefined when it did not fail), or 'timeout'. */
function outcome(start) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve('timeout'), TIMEOUT_MS);
    const done = (err) => {
      clearTimeout(timer);
      resolve(err);
    };
    try {
      start(done);
    } catch (err) {
      done(err);
    }
  });
}

async function expectRefused(what, start) {
  const err = await outcome(start);
  ok(err !== 'timeout' && refusedByGuard(err), `refused: ${what}${err === 'timeout' ? ' (timed out)' : err && !refusedByGuard(err) ? ` (failed otherwise: ${err.message})` : err ? '' : ' (it succeeded)'}`);
}

async function expectAllowed(what, start) {
  const err = await outcome(start);
  ok(err === undefined, `allowed: ${what}${err ? ` (${err === 'timeout' ? 'timed out' : err.message})` : ''}`);
}

async function main() {
  // 1. Preconditions: the guard was preloaded (--require; checked before this file loads it) and
  //    classifies the targets as outside loopback.
  const patched = {
    'net.Socket.prototype.connect': net.Socket.prototype.connect.name === 'guardedConnect',
    'dns.lookup': dns.lookup.name === 'guardedLookup',
    'dns.resolve4': dns.resolve4.name === 'guardedResolve',
    'dns.promises.lookup': dnsPromises.lookup.name === 'guardedLookup' && dns.promises.lookup === dnsPromises.lookup,
    'dns.Resolver': new dns.Resolver().resolve4.name === 'guardedResolve',
    'dns.promises.Resolver': new dnsPromises.Resolver().resolve4.name === 'guardedResolve',
    'dgram.Socket.prototype.send': dgram.Socket.prototype.send.name === 'guardedSend',
    'dgram.Socket.prototype.connect': dgram.Socket.prototype.connect.name === 'guardedUdpConnect',
  };
  const esmDns = await import('node:dns');
  const esmDnsPromises = await import('node:dns/promises');
  patched['ESM named import { lookup } from node:dns'] = esmDns.lookup === dns.lookup && esmDns.resolve === dns.resolve;
  patched['ESM named import { lookup } from node:dns/promises'] = esmDnsPromises.lookup === dnsPromises.lookup;
  for (const [what, yes] of Object.entries(patched)) ok(yes, `guard installed on ${what}`);
  if (failures > 0) {
    console.log('GUARD-SELFCHECK FAILED: run with --require loopback-guard.cjs; nothing was attempted');
    process.exit(1);
  }
  const guard = require('./loopback-guard.cjs'); // the preloaded instance (same resolved path)
  ok(!guard.isLoopback(OUTSIDE_IP) && !guard.isLoopback(OUTSIDE_NAME) && guard.isLoopback('127.0.0.1') && guard.isLoopback('::1') && guard.isLoopback('localhost'), 'isLoopback: 127.0.0.1, ::1, localhost only');
  if (failures > 0) {
    console.log('GUARD-SELFCHECK FAILED: the guard is not in place; nothing was attempted');
    process.exit(1);
  }

  // 2. Outside loopback: every way out is refused.
  await expectRefused(`net.connect({ host: ${OUTSIDE_IP} })`, (done) => {
    net.connect({ host: OUTSIDE_IP, port: 9 }).on('connect', () => done()).on('error', done);
  });
  await expectRefused(`net.connect(9, ${OUTSIDE_IP})`, (done) => {
    net.connect(9, OUTSIDE_IP).on('connect', () => done()).on('error', done);
  });
  await expectRefused(`http.get(http://${OUTSIDE_NAME}/) (before any DNS query)`, (done) => {
    http.get(`http://${OUTSIDE_NAME}/`, () => done()).on('error', done);
  });
  await expectRefused(`fetch(http://${OUTSIDE_IP}:8080/)`, (done) => {
    fetch(`http://${OUTSIDE_IP}:8080/`).then(() => done(), done);
  });
  await expectRefused(`dns.lookup(${OUTSIDE_NAME})`, (done) => dns.lookup(OUTSIDE_NAME, (err) => done(err ?? undefined)));
  await expectRefused(`dns.promises.lookup(${OUTSIDE_NAME})`, (done) => dnsPromises.lookup(OUTSIDE_NAME).then(() => done(), done));
  await expectRefused(`ESM import { lookup } from 'node:dns': lookup(${OUTSIDE_NAME})`, (done) => esmDns.lookup(OUTSIDE_NAME, (err) => done(err ?? undefined)));
  await expectRefused(`dns.resolve4(${OUTSIDE_NAME})`, (done) => dns.resolve4(OUTSIDE_NAME, (err) => done(err ?? undefined)));
  await expectRefused('dns.resolve(localhost) (asks a name server)', (done) => dns.resolve('localhost', (err) => done(err ?? undefined)));
  await expectRefused(`dns.promises.resolveTxt(${OUTSIDE_NAME})`, (done) => dnsPromises.resolveTxt(OUTSIDE_NAME).then(() => done(), done));
  await expectRefused(`new dns.Resolver().resolve6(${OUTSIDE_NAME})`, (done) => new dns.Resolver().resolve6(OUTSIDE_NAME, (err) => done(err ?? undefined)));
  await expectRefused(`new dns.promises.Resolver().resolveMx(${OUTSIDE_NAME})`, (done) => new dnsPromises.Resolver().resolveMx(OUTSIDE_NAME).then(() => done(), done));
  await expectRefused(`dns.reverse(${OUTSIDE_IP})`, (done) => dns.reverse(OUTSIDE_IP, (err) => done(err ?? undefined)));
  await expectRefused(`dns.lookupService(${OUTSIDE_IP}, 22)`, (done) => dns.lookupService(OUTSIDE_IP, 22, (err) => done(err ?? undefined)));
  await expectRefused(`dgram send to ${OUTSIDE_IP}:9`, (done) => {
    const socket = dgram.createSocket('udp4');
    socket.send('x', 9, OUTSIDE_IP, (err) => {
      socket.close();
      done(err ?? undefined);
    });
  });
  await expectRefused(`dgram send to ${OUTSIDE_IP}:9 without a callback ('error' event)`, (done) => {
    const socket = dgram.createSocket('udp4');
    socket.on('error', (err) => {
      socket.close();
      done(err);
    });
    socket.send('x', 0, 1, 9, OUTSIDE_IP);
  });
  await expectRefused(`dgram connect to ${OUTSIDE_IP}:9`, (done) => {
    const socket = dgram.createSocket('udp4');
    socket.on('error', (err) => {
      socket.close();
      done(err);
    });
    socket.connect(9, OUTSIDE_IP, () => {
      socket.close();
      done();
    });
  });

  // 3. Loopback still works (what the sandbox, the apps and Redis need).
  const server = net.createServer((s) => s.on('error', () => {}).end('hi'));
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await expectAllowed(`net.connect to 127.0.0.1:${port}`, (done) => {
    net.connect(port, '127.0.0.1').on('connect', function () {
      this.destroy();
      done();
    }).on('error', done);
  });
  await expectAllowed(`net.connect to localhost:${port} (dns.lookup of localhost)`, (done) => {
    net.connect({ host: 'localhost', port, family: 4 }).on('connect', function () {
      this.destroy();
      done();
    }).on('error', done);
  });
  await expectAllowed('dns.promises.lookup(localhost)', (done) => dnsPromises.lookup('localhost').then(() => done(), done));
  server.close();
  await expectAllowed('dgram send to 127.0.0.1 (received)', (done) => {
    const receiver = dgram.createSocket('udp4');
    const sender = dgram.createSocket('udp4');
    receiver.on('message', () => {
      receiver.close();
      sender.close();
      done();
    });
    receiver.bind(0, '127.0.0.1', () => sender.send('x', receiver.address().port, '127.0.0.1', (err) => err && done(err)));
  });

  if (failures > 0) {
    console.log(`GUARD-SELFCHECK FAILED: ${failures} check(s)`);
    process.exit(1);
  }
  console.log('GUARD-SELFCHECK OK');
}

main().catch((err) => {
  console.error('GUARD-SELFCHECK FAILED:', err);
  process.exit(1);
});
