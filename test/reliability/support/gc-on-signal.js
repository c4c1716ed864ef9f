// Test instrumentation preloaded into the app by the load proof (never by the app itself): on
// SIGWINCH run a full GC and print the memory it leaves, so readings compare retained memory
// rather than wherever V8's sawtooth happened to be. SIGWINCH because Nest's shutdown hooks take
// SIGUSR2 (and most others) as a request to close the app.
let readings = 0;
process.on('SIGWINCH', () => {
  if (typeof global.gc === 'function') global.gc();
  // external: memory of Buffers and other C++ objects tied to JS ones (sockets' buffers, say),
  // which heapUsed leaves out and a leak of Buffers would grow.
  const { rss, heapUsed, external } = process.memoryUsage();
  readings += 1;
  process.stdout.write(`[memory-after-gc] ${readings} rss=${rss} heapUsed=${heapUsed} external=${external}\n`);
});
