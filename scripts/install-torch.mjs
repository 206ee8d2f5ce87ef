// Installs PyTorch for the side-by-side training-step benchmark (bench/torch_step.py), once:
//   Debian: python3-torch, libopenblas0-openmp (apt-get, when root and missing)
// PyPI is not reachable from the project's machines, so torch comes from Debian's python3-torch
// (1.13 on Debian 12), with OpenBLAS (OpenMP build) behind its libblas.so.3.
//
//   node scripts/install-torch.mjs     installs when missing (as root) and prints the version
//
// As a module: findTorch() tells whether /usr/bin/python3 imports torch; ensureTorch({ install })
// also installs it when asked to and allowed to. Neither throws: both return null when torch is absent.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';
export const PACKAGES = ['python3-torch', 'libopenblas0-openmp'];
const HINT = `sudo apt-get install ${PACKAGES.join(' ')}`;

// Prints one JSON line: torch's version, the BLAS it was built against (torch.__config__.show())
// and the BLAS library actually loaded once a matrix product has run (from /proc/self/maps).
const PROBE = `
import json, os, re
import torch
show = torch.__config__.show()
m = re.search(r'BLAS_INFO=([^,\\s]+)', show)
built = m.group(1) if m else ('mkl' if 'MKL' in show else 'unknown')
torch.ones(8, 8) @ torch.ones(8, 8)
loaded = set()
try:
    with open('/proc/self/maps') as f:
        for line in f:
            path = line.split()[-1] if len(line.split()) >= 6 else ''
            name = os.path.basename(path)
            if re.search(r'(blas|mkl_|lapack)', name):
                loaded.add(os.path.realpath(path))
except OSError:
    pass
core = None
for path in sorted(loaded):
    try:
        import ctypes
        get = ctypes.CDLL(path).openblas_get_corename
        get.restype = ctypes.c_char_p
        core = get().decode()
        break
    except (OSError, AttributeError):
        pass
print(json.dumps({'version': torch.__version__, 'built': built, 'loaded': sorted(loaded), 'core': core}))
`;

function run(command, args) {
  return new Promise((resolve) => {
    execFile(command, args, { timeout: 120_000, maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      resolve({ ok: !error, stdout: String(stdout), stderr: String(stderr), error });
    });
  });
}

/** Runs a command with its output shown, as install.mjs's sh() does; resolves to its exit code. */
function sh(command, args, env = process.env) {
  console.log(`install-torch: ${command} ${args.join(' ')}`);
  return new Promise((resolve) => {
    const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'], env });
    child.on('error', (error) => {
      console.error(`install-torch: ${command}: ${error.message}`);
      resolve(-1);
    });
    child.on('close', (code) => resolve(code ?? -1));
  });
}

/** A one-word summary of the BLAS behind torch: the loaded library's name when known, else the build's. */
function blasOf(probe) {
  const names = probe.loaded.map((path) => path.split('/').pop());
  if (names.some((n) => /mkl/i.test(n))) return 'mkl';
  const open = probe.loaded.find((path) => /openblas/i.test(path));
  if (open) {
    const variant = /openmp/.test(open)
      ? 'openmp'
      : /pthread/.test(open)
        ? 'pthread'
        : /serial/.test(open)
          ? 'serial'
          : '';
    return variant ? `openblas-${variant}` : 'openblas';
  }
  if (probe.loaded.some((path) => /blis/i.test(path))) return 'blis';
  if (probe.loaded.some((path) => /atlas/i.test(path))) return 'atlas';
  if (probe.loaded.some((path) => /libblas\.so/.test(path))) return 'reference';
  return probe.built;
}

/**
 * Whether /usr/bin/python3 imports torch.
 * blasCore is the kernel set OpenBLAS picks by itself (null for another BLAS): 'Prescott' on a CPU
 * newer than it knows, which bench/torch_step.py corrects with OPENBLAS_CORETYPE.
 * @returns {Promise<{ python: string, version: string, blas: string, blasCore: string | null, blasBuilt: string, blasLibraries: string[] } | null>}
 */
export async function findTorch() {
  if (!existsSync(PYTHON)) return null;
  const result = await run(PYTHON, ['-c', PROBE]);
  if (!result.ok) return null;
  try {
    const probe = JSON.parse(result.stdout.trim().split('\n').pop());
    return {
      python: PYTHON,
      version: probe.version,
      blas: blasOf(probe),
      blasCore: probe.core,
      blasBuilt: probe.built,
      blasLibraries: probe.loaded,
    };
  } catch {
    return null;
  }
}

let updated = false;

/**
 * findTorch(), installing torch first when it is missing, `install` is true and this process is root.
 * Prints one line saying why when torch stays absent.
 * @param {{ install?: boolean }} [options]
 */
export async function ensureTorch({ install = false } = {}) {
  const found = await findTorch();
  if (found) return found;
  if (!install) {
    console.log(`install-torch: PyTorch is absent: install it with \`${HINT}\``);
    return null;
  }
  if (process.getuid?.() !== 0) {
    console.log(`install-torch: PyTorch is absent and this is not root: install it with \`${HINT}\``);
    return null;
  }
  console.log(`install-torch: apt-get install ${PACKAGES.join(' ')}`);
  if (!updated) {
    const code = await sh('apt-get', ['update', '-qq']);
    if (code !== 0) {
      console.log(
        `install-torch: PyTorch is absent: apt-get update failed (exit ${code}); install it with \`${HINT}\``,
      );
      return null;
    }
    updated = true;
  }
  const code = await sh('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...PACKAGES], {
    ...process.env,
    DEBIAN_FRONTEND: 'noninteractive',
  });
  if (code !== 0) {
    console.log(`install-torch: PyTorch is absent: apt-get install failed (exit ${code}); install it with \`${HINT}\``);
    return null;
  }
  const after = await findTorch();
  if (!after) {
    const { stderr } = await run(PYTHON, ['-c', 'import torch']);
    const reason = stderr.trim().split('\n').pop() || 'import torch fails';
    console.log(`install-torch: PyTorch is absent after apt-get install (${reason}); install it with \`${HINT}\``);
  }
  return after;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const torch = await ensureTorch({ install: true });
  if (!torch) process.exit(1);
  console.log(
    `install-torch: torch ${torch.version} (${torch.python}), BLAS ${torch.blas}${torch.blasCore ? ` (OpenBLAS kernels ${torch.blasCore})` : ''}${torch.blasLibraries.length ? ` [${torch.blasLibraries.join(', ')}]` : ''}, built with ${torch.blasBuilt}`,
  );
}
