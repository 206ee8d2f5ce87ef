#!/usr/bin/python3
"""PyTorch's side of the side-by-side training-step benchmark (see bench/torch-peer.ts).

A long-lived worker: one JSON object a line on stdin, exactly one JSON line a reply on stdout.

  {"cmd":"setup","id":"small-lstm","kind":"lstm"|"gru"|"rnn","V":65,"H":128,"B":32,"T":64,"threads":1,"seed":1}
      builds one-hot inputs [T,B,V] float32 and targets [T,B] int64 (a random class a position),
      torch.nn.LSTM/GRU/RNN(V, H) + torch.nn.Linear(H, V), Adam(lr=1e-3), mean cross entropy
      over the T*B rows. Setups are kept by id (a second setup with the same id replaces it).
      Replies {"id":..., "ok":true, "params":N}.
  {"cmd":"time","id":"small-lstm","what":"train"|"forward","reps":N,"threads":1}
      torch.set_num_threads(threads), then N repetitions, each timed with time.perf_counter.
      "train": zero_grad, model + head forward, loss, backward, optimizer.step.
      "forward": under torch.no_grad(), the recurrent layer's forward only (no head).
      Replies {"id":..., "what":..., "threads":..., "ms":[...]}.
  {"cmd":"info"}   replies torch's version, its thread settings and the BLAS behind it.
  {"cmd":"quit"}   replies {"ok":true} and exits.

A bad command is answered with {"error": "..."}; the worker goes on. When torch cannot be
imported it writes the reason to stderr and exits with status 3 before reading anything.
"""
import json
import os
import re
import sys
import time

# Replies go to the real stdout only; anything else printed (by torch or by mistake) goes to stderr.
_out = sys.stdout
sys.stdout = sys.stderr

# OpenBLAS (Debian's, built for every x86 core) picks its kernels from the CPU's model number and
# falls back to Prescott (SSE3) on a model it does not know, such as a newer Xeon than it: three
# times slower at these sizes, which would make the comparison unfair to PyTorch. So, unless
# OPENBLAS_CORETYPE is set already, ask OpenBLAS (in a child process: the choice is made once,
# when the library loads) what it detects, and if that is below what the CPU's flags allow, set
# OPENBLAS_CORETYPE before torch loads it. Setting OPENBLAS_CORETYPE yourself turns this off.
_CORE_RANK = {'sandybridge': 2, 'haswell': 3, 'zen': 3, 'excavator': 3, 'skylakex': 4, 'cooperlake': 4, 'sapphirerapids': 4}
_CORE_PROBE = (
    'import ctypes\n'
    'lib = ctypes.CDLL("libblas.so.3")\n'
    'lib.openblas_get_corename.restype = ctypes.c_char_p\n'
    'print(lib.openblas_get_corename().decode())\n'
)


def _cpu_flags():
    try:
        with open('/proc/cpuinfo') as cpuinfo:
            for line in cpuinfo:
                if line.startswith('flags'):
                    return set(line.split(':', 1)[1].split())
    except OSError:
        pass
    return set()


def _choose_openblas_core():
    """Returns (detected, forced): OpenBLAS's own choice and the core set in its place, or None."""
    if 'OPENBLAS_CORETYPE' in os.environ or not sys.platform.startswith('linux'):
        return None
    flags = _cpu_flags()
    if {'avx512f', 'avx512bw', 'avx512vl', 'avx512dq'} <= flags:
        best = 'SkylakeX'
    elif {'avx2', 'fma'} <= flags:
        best = 'Haswell'
    elif 'avx' in flags:
        best = 'Sandybridge'
    else:
        return None
    import subprocess
    try:
        probe = subprocess.run([sys.executable, '-c', _CORE_PROBE], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    detected = probe.stdout.strip()
    if probe.returncode != 0 or not detected:
        return None  # libblas.so.3 is not OpenBLAS
    if _CORE_RANK.get(detected.lower(), 0) >= _CORE_RANK[best.lower()]:
        return None
    os.environ['OPENBLAS_CORETYPE'] = best
    return (detected, best)


_openblas_override = _choose_openblas_core()

try:
    import torch
    import torch.nn.functional as F
except Exception as error:  # noqa: BLE001 - any import failure means "torch is absent"
    sys.stderr.write('torch_step: PyTorch is absent: %s: %s\n' % (type(error).__name__, error))
    sys.exit(3)

KINDS = {'lstm': torch.nn.LSTM, 'gru': torch.nn.GRU, 'rnn': torch.nn.RNN}
setups = {}


class Setup:
    def __init__(self, spec):
        self.id = str(spec['id'])
        kind = spec.get('kind', 'lstm')
        if kind not in KINDS:
            raise ValueError('kind must be one of lstm, gru, rnn, not %r' % (kind,))
        V, H, B, T = (_positive_int(spec, key) for key in ('V', 'H', 'B', 'T'))
        seed = int(spec.get('seed', 1))
        _set_threads(spec.get('threads', 1))
        self.kind, self.V, self.H, self.B, self.T = kind, V, H, B, T
        generator = torch.Generator().manual_seed(seed)
        classes = torch.randint(V, (T, B), generator=generator)
        self.x = F.one_hot(classes, V).to(torch.float32).contiguous()
        self.targets = torch.randint(V, (T * B,), generator=generator, dtype=torch.int64)
        torch.manual_seed(seed)
        self.model = KINDS[kind](V, H, batch_first=False).to(torch.float32)
        self.head = torch.nn.Linear(H, V).to(torch.float32)
        self.params = list(self.model.parameters()) + list(self.head.parameters())
        self.optimizer = torch.optim.Adam(self.params, lr=1e-3)

    def train(self):
        self.optimizer.zero_grad(set_to_none=True)
        out, _ = self.model(self.x)
        logits = self.head(out.reshape(self.T * self.B, self.H))
        loss = F.cross_entropy(logits, self.targets)
        loss.backward()
        self.optimizer.step()
        return loss

    def forward(self):
        with torch.no_grad():
            return self.model(self.x)


def _positive_int(spec, key):
    value = spec.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError('%s must be a positive integer, not %r' % (key, value))
    return value


def _set_threads(threads):
    if not isinstance(threads, int) or isinstance(threads, bool) or threads < 1:
        raise ValueError('threads must be a positive integer, not %r' % (threads,))
    torch.set_num_threads(threads)
    return threads


def _get(spec):
    key = str(spec.get('id'))
    if key not in setups:
        raise KeyError('no setup with id %r (known: %s)' % (key, ', '.join(sorted(setups)) or 'none'))
    return setups[key]


def cmd_setup(msg):
    setup = Setup(msg)
    setups[setup.id] = setup
    return {'id': setup.id, 'ok': True, 'params': sum(p.numel() for p in setup.params)}


def cmd_time(msg):
    setup = _get(msg)
    what = msg.get('what', 'train')
    if what not in ('train', 'forward'):
        raise ValueError('what must be train or forward, not %r' % (what,))
    reps = msg.get('reps', 1)
    if not isinstance(reps, int) or isinstance(reps, bool) or reps < 0:
        raise ValueError('reps must be a non-negative integer, not %r' % (reps,))
    threads = _set_threads(msg.get('threads', 1))
    step = setup.train if what == 'train' else setup.forward
    ms = []
    for _ in range(reps):
        t0 = time.perf_counter()
        step()
        ms.append((time.perf_counter() - t0) * 1000.0)
    return {'id': setup.id, 'what': what, 'threads': threads, 'ms': ms}


def _blas_libraries():
    """The BLAS/LAPACK libraries mapped into this process (after a matrix product has loaded them)."""
    torch.ones(4, 4) @ torch.ones(4, 4)
    found = set()
    try:
        with open('/proc/self/maps') as maps:
            for line in maps:
                fields = line.split()
                if len(fields) >= 6 and re.search(r'(blas|mkl_|lapack)', os.path.basename(fields[-1])):
                    found.add(os.path.realpath(fields[-1]))
    except OSError:
        pass
    return sorted(found)


def _openblas_core(libraries):
    """The kernels OpenBLAS uses in this process, or None when none of the libraries is OpenBLAS."""
    import ctypes
    for path in libraries:
        try:
            get = ctypes.CDLL(path).openblas_get_corename  # already loaded: the same instance as torch's
        except (OSError, AttributeError):
            continue
        get.restype = ctypes.c_char_p
        return get().decode()
    return None


def cmd_info(_msg):
    show = torch.__config__.show()
    parallel = torch.__config__.parallel_info()
    threads_line = next((l.strip() for l in parallel.splitlines() if 'get_num_threads' in l), '')
    backend_line = next((l.split(':', 1)[1].strip() for l in parallel.splitlines() if 'parallel backend' in l), '')
    built = re.search(r'BLAS_INFO=([^,\s]+)', show)
    libraries = _blas_libraries()
    names = ' '.join(os.path.basename(p) for p in libraries) + ' ' + ' '.join(libraries)
    mkl = bool(re.search(r'mkl', names, re.I)) or (built is not None and built.group(1) == 'mkl')
    openblas = bool(re.search(r'openblas', names, re.I)) or (built is not None and built.group(1) == 'open')
    if mkl:
        blas = 'mkl'
    elif openblas:
        variant = next((v for v in ('openmp', 'pthread', 'serial') if v in names), '')
        blas = 'openblas-' + variant if variant else 'openblas'
    elif libraries:
        blas = os.path.basename(os.path.dirname(libraries[0])) or 'unknown'
    else:
        blas = built.group(1) if built else 'unknown'
    return {
        'torch': torch.__version__,
        'python': sys.version.split()[0],
        'threads': threads_line,
        'numThreads': torch.get_num_threads(),
        'parallelBackend': backend_line,
        'blas': blas,
        'mkl': mkl,
        'openblas': openblas,
        'mkldnn': bool(torch.backends.mkldnn.is_available()),
        'blasCore': _openblas_core(libraries) if openblas else None,
        'blasCoreForced': None if _openblas_override is None else '%s (OpenBLAS detected %s)' % (_openblas_override[1], _openblas_override[0]),
        'blasBuilt': built.group(1) if built else None,
        'blasLibraries': libraries,
    }


COMMANDS = {'setup': cmd_setup, 'time': cmd_time, 'info': cmd_info}


def reply(obj):
    _out.write(json.dumps(obj) + '\n')
    _out.flush()


def main():
    while True:
        line = sys.stdin.readline()
        if not line:
            return 0
        line = line.strip()
        if not line:
            continue
        try:
            msg = json.loads(line)
            if not isinstance(msg, dict):
                raise ValueError('a command must be a JSON object')
            cmd = msg.get('cmd')
            if cmd == 'quit':
                reply({'ok': True})
                return 0
            if cmd not in COMMANDS:
                raise ValueError('unknown cmd %r (setup, time, info, quit)' % (cmd,))
            reply(COMMANDS[cmd](msg))
        except Exception as error:  # noqa: BLE001 - every failure becomes an error line
            reply({'error': '%s: %s' % (type(error).__name__, error)})


if __name__ == '__main__':
    sys.exit(main())
