// `npm start`, the main job: package the extension, start a real VS Code (code-server) with it
// installed and the tutorial notebooks open, and print the address. Ctrl-C stops it.
//   npm start [-- --untrusted]   --untrusted: workspace trust enforced, examples/ opens in
//                                restricted mode (no cell runs until you trust the folder)
import { join } from 'node:path';
import { startCodeServer } from './code-server/launch.mjs';
import { install } from './code-server/install.mjs';
import { ROOT } from './code-server/paths.mjs';
import { packageVsix } from './package.mjs';

install();
const vsix = await packageVsix();
const port = Number(process.env.PORT) || undefined;
const untrusted = process.argv.includes('--untrusted');
const server = await startCodeServer({
  vsix,
  port,
  trust: !untrusted,
  settings: { 'workbench.colorTheme': 'Default Dark Modern' },
});
const examples = join(ROOT, 'examples');
console.log(
  `\nLSTM Notebook is running in VS Code (code-server) with ${vsix.split('/').pop()} installed${untrusted ? ', workspace trust enforced (restricted mode)' : ''}.`,
);
console.log(`Open this address in a browser:\n\n  ${server.url}/?folder=${encodeURIComponent(examples)}\n`);
console.log('Open a notebook from examples/, then Run All. Press Ctrl-C to stop.');
const stop = () => {
  server.stop();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
process.on('SIGHUP', stop); // terminal closed: code-server runs in its own process group and would outlive us
setInterval(() => {}, 1 << 30);
