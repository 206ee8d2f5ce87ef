// Stands in for the npm package node-fetch in the worker bundle (esbuild.mjs aliases it here).
// vega's loader requires node-fetch on Node, which pulls ~300 kB (tr46's Unicode tables,
// whatwg-url) and prints punycode's deprecation warning into the first cell; the kernel's
// charts load no URLs, and Node ≥ 18 has fetch built in, so the platform's serves.
module.exports = globalThis.fetch;
