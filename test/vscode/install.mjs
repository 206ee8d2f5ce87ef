// Installs what the real-VS-Code tests need, once, and fails loudly when it cannot:
//   Debian: chromium, fonts-liberation, libkrb5-dev (apt-get, when root and missing)
//   Node 24 (npm package `node@24`) and code-server (built with Node 24's headers) in .vscode-test/
// See ../shared/docs/real-vscode.md for why each piece is needed.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CACHE, CHROMIUM, CODE_SERVER_ENTRY, CODE_SERVER_VERSION, NODE24, NODE24_DIR } from './paths.mjs';

/**
 * The environment for a nested npm: without the npm_* variables an outer `npm test` exports,
 * which the nested npm would read as its own configuration (and run install scripts with the
 * outer npm's Node 20 instead of Node 24).
 */
function cleanEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([key]) => !/^npm_/i.test(key) && key !== 'NODE' && key !== 'INIT_CWD'));
  return { ...env, ...extra };
}

function sh(command, args, options = {}) {
  execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

function fail(message) {
  console.error(`\ninstall: ${message}`);
  process.exit(1);
}

export function install() {
  const missing = [];
  if (!existsSync(CHROMIUM)) missing.push('chromium', 'fonts-liberation');
  if (!existsSync('/usr/include/gssapi.h') && !existsSync('/usr/include/gssapi/gssapi.h') && !existsSync(CODE_SERVER_ENTRY)) missing.push('libkrb5-dev');
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) fail(`missing Debian packages ${missing.join(', ')}; run as root or: sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`);
    console.log(`install: apt-get install ${missing.join(' ')}`);
    try {
      sh('apt-get', ['update', '-qq']);
      sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    } catch (error) {
      fail(`apt-get could not install ${missing.join(', ')}: ${error.message}`);
    }
    if (!existsSync(CHROMIUM)) fail(`${CHROMIUM} is still missing after apt-get install chromium`);
  }
  if (!existsSync(NODE24)) {
    console.log('install: Node 24 (npm package node@24) into .vscode-test/node24');
    const dir = join(CACHE, 'node24');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    try {
      sh('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', 'node@24'], { cwd: dir, env: cleanEnv() });
    } catch (error) {
      fail(`npm install node@24 failed: ${error.message}`);
    }
    if (!existsSync(NODE24)) fail(`Node 24 is not at ${NODE24} after npm install node@24`);
  }
  if (!existsSync(CODE_SERVER_ENTRY)) {
    console.log(`install: code-server ${CODE_SERVER_VERSION} into .vscode-test/cs (native modules build with Node 24, about 3 minutes)`);
    const dir = join(CACHE, 'cs');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), '{ "private": true }\n');
    try {
      // The machine's ~/.npmrc points node-gyp at Node 20's headers; code-server must build against Node 24's.
      sh('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts', `code-server@${CODE_SERVER_VERSION}`], {
        cwd: dir,
        env: cleanEnv({ PATH: `${join(NODE24_DIR, 'bin')}:${process.env.PATH}`, npm_config_nodedir: NODE24_DIR }),
      });
    } catch (error) {
      fail(`npm install code-server@${CODE_SERVER_VERSION} failed: ${error.message}`);
    }
    if (!existsSync(CODE_SERVER_ENTRY)) fail(`code-server is not at ${CODE_SERVER_ENTRY} after npm install`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  install();
  console.log('install: chromium, Node 24 and code-server are ready');
}
