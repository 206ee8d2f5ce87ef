// README's Layout section names every folder a newcomer meets: each top-level folder of the
// repository and each folder under core/ and extension/, as git tracks them. A folder added
// without a line there fails here, naming it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../scripts/code-server/paths.mjs';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const start = readme.indexOf('## Layout');
const block = readme.slice(readme.indexOf('```', start), readme.indexOf('```', readme.indexOf('```', start) + 3));
const tracked = execFileSync('git', ['ls-files'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);

function folders() {
  const found = new Set();
  for (const file of tracked) {
    const parts = file.split('/');
    if (parts.length > 1 && !parts[0].startsWith('.')) found.add(parts[0]);
    if (parts[0] === 'core' || parts[0] === 'extension')
      for (let depth = 2; depth < parts.length; depth++) found.add(parts.slice(0, depth).join('/'));
  }
  return [...found].sort();
}

test("README's Layout names every top-level folder and every folder under core/ and extension/", () => {
  assert.ok(start >= 0 && block.length > 0, 'README has a ## Layout section with a code block');
  const missing = folders().filter((folder) => !block.includes(`${posix.basename(folder)}/`));
  assert.deepEqual(missing, [], `folders the Layout section does not name: ${missing.join(', ')}`);
});
