#!/usr/bin/env node
// `npx lstm-notebook run in.ipynb`: the headless runner, bundled into dist/ by `npm run build`.
const { main } = require('../dist/cli.js');
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
  },
);
