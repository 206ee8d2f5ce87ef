#!/usr/bin/env node
// `npx lstm-notebook run in.ipynb`: the headless runner, `npx lstm-notebook kernel …`: the
// Jupyter kernel and its kernelspec, and `npx lstm-notebook export nb.ipynb --to html`: the
// notebook as one page; all bundled into dist/ by `npm run build`. The kernel's bundle (and
// zeromq) is loaded only for `kernel`, the exporter's only for `export`.
const [command, ...rest] = process.argv.slice(2);
const { main } =
  command === 'kernel'
    ? require('../dist/jupyter.js')
    : command === 'export'
      ? require('../dist/export.js')
      : require('../dist/cli.js');
main(command === 'kernel' || command === 'export' ? rest : process.argv.slice(2)).then(
  (code) => {
    if (command === 'kernel') process.exit(code);
    process.exitCode = code;
  },
  (error) => {
    console.error(error);
    process.exitCode = 1;
    if (command === 'kernel') process.exit(1);
  },
);
