// Run in a fresh node process: imports one module and prints how long the import took (ms).
// Resolved from here, so "pvekit" is the package's own built entry (package self-reference).
const spec = process.argv[2];
const t0 = performance.now();
await import(spec);
process.stdout.write(`${JSON.stringify({ importMs: performance.now() - t0, sinceStartMs: performance.now() })}\n`);
