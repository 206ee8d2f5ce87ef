// Installs what the real-client tests need, once, and fails loudly when it cannot:
//   Debian: chromium, fonts-liberation, libkrb5-dev (apt-get, when root and missing); the
//   Jupyter clients that judge the Jupyter kernel: python3-jupyter-kernel-test, python3-nbclient,
//   python3-jupyter-client, jupyter-client (`jupyter kernelspec`) and jupyter-notebook (a real
//   front end, driven in Chromium), for /usr/bin/python3
//   Node 24 (npm package `node@24`) and code-server (built with Node 24's headers) in .vscode-test/
// See ../shared/docs/real-vscode.md for why each piece is needed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PYTHON } from '../install-torch.mjs';
import { CACHE, CHROMIUM, CODE_SERVER_ENTRY, CODE_SERVER_VERSION, NODE24, NODE24_DIR } from './paths.mjs';

/**
 * The environment for a nested npm: without the npm_* variables an outer `npm test` exports,
 * which the nested npm would read as its own configuration (and run install scripts with the
 * outer npm's Node 20 instead of Node 24).
 */
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE' && key !== 'INIT_CWD'),
  );
  return { ...env, ...extra };
}

function sh(command, args, options = {}) {
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

function onPath(tool) {
  return (process.env.PATH ?? '').split(':').some((dir) => dir && existsSync(join(dir, tool)));
}

function fail(message) {
  console.error(`\ninstall: ${message}`);
  process.exit(1);
}

/** Whether Debian's Python has the Jupyter clients the kernel tests use (test/jupyter/). */
function jupyterClientsPresent() {
  try {
    execFileSync(PYTHON, ['-c', 'import jupyter_kernel_test, nbclient, jupyter_client'], { stdio: 'ignore' });
    return existsSync('/usr/bin/jupyter-kernelspec') && existsSync('/usr/bin/jupyter-notebook');
  } catch {
    return false;
  }
}

export function install() {
  const missing = [];
  if (!jupyterClientsPresent())
    missing.push(
      'python3-jupyter-kernel-test',
      'python3-nbclient',
      'python3-jupyter-client',
      'jupyter-client',
      'jupyter-notebook',
    );
  if (!existsSync(CHROMIUM)) missing.push('chromium', 'fonts-liberation');
  if (
    !existsSync('/usr/include/gssapi.h') &&
    !existsSync('/usr/include/gssapi/gssapi.h') &&
    !existsSync(CODE_SERVER_ENTRY)
  )
    missing.push('libkrb5-dev');
  // node-gyp builds code-server's native modules with a C++ compiler, make and Python 3.
  if (!existsSync(CODE_SERVER_ENTRY)) {
    for (const [tool, pkg] of [
      ['g++', 'g++'],
      ['make', 'make'],
      ['python3', 'python3'],
    ])
      if (!onPath(tool)) missing.push(pkg);
  }
  if (missing.length > 0) {
    if (process.getuid?.() !== 0)
      fail(
        `missing Debian packages ${missing.join(', ')}; run as root or: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`,
      );
    console.log(`install: apt-get install ${missing.join(' ')}`);
    try {
      sh('apt-get', ['update', '-qq']);
      sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], {
        env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
      });
    } catch (error) {
      fail(`apt-get could not install ${missing.join(', ')}: ${error.message}`);
    }
    if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is still missing after apt-get install chromium`);
    if (!jupyterClientsPresent())
      fail(`${PYTHON} still cannot import jupyter_kernel_test and nbclient after apt-get install`);
  }
  if (!existsSync(NODE24)) {
    console.log('install: Node 24 (npm package node@24) into .vscode-test/node24');
    const dir = join(CACHE, 'node24');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    try {
      sh('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', 'node@24'], {
        cwd: dir,
        env: cleanEnv(),
      });
    } catch (error) {
      fail(`npm install node@24 failed: ${error.message}`);
    }
    if (!existsSync(NODE24)) fail(`Node 24 is not at ${NODE24} after npm install node@24`);
  }
  // The entry file alone does not prove a complete install (an interrupted one has it too):
  // a marker is written only after the native modules were checked to load.
  if (!installedMarkerMatches() && !(existsSync(CODE_SERVER_ENTRY) && nativeModulesLoad())) {
    console.log(
      `install: code-server ${CODE_SERVER_VERSION} into .vscode-test/cs (native modules build with Node 24, about 3 minutes)`,
    );
    const dir = join(CACHE, 'cs');
    rmSync(join(dir, 'node_modules'), { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    try {
      // The machine's ~/.npmrc points node-gyp at Node 20's headers; code-server must build against Node 24's.
      // Install scripts must run: code-server builds its native modules in them. npm 11 runs
      // scripts not covered by `allowScripts` with a notice unless strict-allow-scripts or
      // ignore-scripts is set in a user's npmrc, so both are forced off here.
      sh('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], {
        cwd: dir,
        env: cleanEnv({
          PATH: `${join(NODE24_DIR, 'bin')}:${process.env.PATH}`,
          npm_config_nodedir: NODE24_DIR,
          npm_config_ignore_scripts: 'false',
          npm_config_strict_allow_scripts: 'false',
        }),
      });
    } catch (error) {
      fail(`npm install code-server@${CODE_SERVER_VERSION} failed: ${error.message}`);
    }
    if (!existsSync(CODE_SERVER_ENTRY)) fail(`code-server is not at ${CODE_SERVER_ENTRY} after npm install`);
    if (!nativeModulesLoad()) {
      fail(
        `code-server's native modules did not build (their install scripts did not run or failed; see above). ` +
          `Install libkrb5-dev and a C++ toolchain (apt-get install -y build-essential python3 libkrb5-dev) and run again.`,
      );
    }
  }
  if (!installedMarkerMatches()) writeFileSync(MARKER, `${CODE_SERVER_VERSION}\n`);
}

const MARKER = join(CACHE, 'cs', '.lstm-notebook-installed');
const NATIVE_MODULES = [
  'kerberos',
  '@vscode/spdlog',
  '@vscode/sqlite3',
  'node-pty',
  '@vscode/native-watchdog',
  '@parcel/watcher',
];

function installedMarkerMatches() {
  return (
    existsSync(CODE_SERVER_ENTRY) && existsSync(MARKER) && readFileSync(MARKER, 'utf8').trim() === CODE_SERVER_VERSION
  );
}

/** Loads each native module code-server needs with Node 24: false if an install script did not build one. */
function nativeModulesLoad() {
  const vscodeDir = join(CACHE, 'cs', 'node_modules', 'code-server', 'lib', 'vscode');
  const script = `const bad = []; for (const m of ${JSON.stringify(NATIVE_MODULES)}) { try { require(m) } catch (e) { bad.push(m + ': ' + e.message.split('\\n')[0]) } } if (bad.length) { console.error('install: native modules that do not load:\\n' + bad.join('\\n')); process.exit(1) }`;
  try {
    execFileSync(NODE24, ['-e', script], { cwd: vscodeDir, stdio: ['ignore', 'inherit', 'inherit'] });
    return true;
  } catch {
    return false;
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  install();
  console.log('install: chromium, Node 24 and code-server are ready');
}
