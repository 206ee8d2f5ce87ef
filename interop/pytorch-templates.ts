/**
 * The text of the exported PyTorch project's files (see pytorch.ts). Kept as plain Python a
 * PyTorch user recognises: a module, a training script with argparse, DistributedDataParallel
 * under torchrun, safetensors checkpoints.
 */

export const MODEL_PY = (rnn: string, head: string | null, description: string, imports: string): string => `"""
${description}, exported from LSTM Notebook: the same architecture as the notebook's, and, in
weights.safetensors, the same weights under the same names (rnn.*${head ? ', head.*' : ''}).
"""
from torch import nn
${imports}

class Model(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = ${rnn}
${head ? `        self.head = ${head}\n` : ''}
    def forward(self, x, state=None):
        """x: [T, B, I], time-major. Returns ${head ? "the head's output" : 'the output'} at every step and the final state."""
        output, state = self.rnn(x, state)
        return ${head ? 'self.head(output)' : 'output'}, state
`;

export const TRAIN_PY = (config: string): string => `"""
Trains Model (model.py) on data/ the way the notebook's train() did: the same loss, optimizer,
hyper-parameters, clipping and learning-rate schedule, starting from the notebook's weights.

  one process:          python train.py
  two processes (CPU):  torchrun --standalone --nproc_per_node=2 train.py
  several machines:     torchrun --nnodes=2 --node_rank=0 --nproc_per_node=8 --rdzv_endpoint=HOST:29500 train.py

Under torchrun every process takes an equal share of each global batch (--batch-size) and
DistributedDataParallel averages the gradients, so a step is the same step as in one process.
Writes checkpoint.safetensors and losses.json into --out.
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

from model import Model

try:
    from safetensors.torch import load_file, save_file
except ImportError:  # the format is small: safetensors_lite.py reads and writes it with torch alone
    from safetensors_lite import load_file, save_file

CONFIG = json.loads(r"""${config}""")
HERE = os.path.dirname(os.path.abspath(__file__))


def loss_function():
    if CONFIG['loss'] == 'crossEntropy':
        return nn.CrossEntropyLoss()
    if CONFIG['loss'] == 'bce':
        return nn.BCEWithLogitsLoss()
    return nn.MSELoss()


def make_optimizer(parameters):
    o = dict(CONFIG['optimizer'])
    name = o.pop('name')
    if 'betas' in o:
        o['betas'] = tuple(o['betas'])
    return getattr(torch.optim, name)(parameters, **o)


def prediction_and_target(out, y):
    """The model's output [T, B, F] and the batch's targets [B, ...] as the loss wants them."""
    if CONFIG['target'] == 'last':
        pred = out[-1]  # the last step: [B, F]
        return pred, (y if CONFIG['classes'] else y.reshape(pred.shape))
    pred = out.reshape(-1, out.shape[-1])  # every step, time-major: [T * B, F]
    y = y.transpose(0, 1)  # [T, B, ...]
    return pred, (y.reshape(-1) if CONFIG['classes'] else y.reshape(pred.shape))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('--steps', type=int, default=None, help='stop after this many optimizer steps')
    parser.add_argument('--epochs', type=int, default=CONFIG['epochs'])
    parser.add_argument('--batch-size', type=int, default=CONFIG['batch_size'], help='the global batch size')
    parser.add_argument('--out', default=HERE, help='where checkpoint.safetensors and losses.json go')
    parser.add_argument('--no-shuffle', action='store_true', help='batches in the data order')
    parser.add_argument('--seed', type=int, default=CONFIG['seed'])
    parser.add_argument('--init', choices=['notebook', 'random'], default='notebook',
                        help="start from the notebook's weights (default) or from torch's initialisation")
    args = parser.parse_args()

    distributed = int(os.environ.get('WORLD_SIZE', '1')) > 1
    if distributed:
        dist.init_process_group('gloo')  # CPUs; 'nccl' on GPUs
    rank = dist.get_rank() if distributed else 0
    world = dist.get_world_size() if distributed else 1
    torch.manual_seed(args.seed)

    inputs = torch.from_numpy(np.load(os.path.join(HERE, 'data', 'inputs.npy')))  # [N, T, I]
    targets = torch.from_numpy(np.load(os.path.join(HERE, 'data', 'targets.npy')))
    model = Model()
    if args.init == 'notebook':
        model.load_state_dict(load_file(os.path.join(HERE, 'weights.safetensors')))
    net = nn.parallel.DistributedDataParallel(model) if distributed else model
    optimizer = make_optimizer(model.parameters())
    base_lr = optimizer.param_groups[0]['lr']
    rates = np.load(os.path.join(HERE, CONFIG['schedule'])) if CONFIG['schedule'] else None
    loss_fn = loss_function()
    shuffle = CONFIG['shuffle'] and not args.no_shuffle
    generator = torch.Generator().manual_seed(args.seed)

    n = inputs.shape[0]
    step, losses = 0, []
    for epoch in range(args.epochs):
        order = torch.randperm(n, generator=generator) if shuffle else torch.arange(n)
        for start in range(0, n, args.batch_size):
            batch = order[start:start + args.batch_size]
            mine = batch[rank::world]  # this process's share of the global batch
            x = inputs[mine].transpose(0, 1)  # [T, B, I]
            if rates is not None:
                for group in optimizer.param_groups:
                    group['lr'] = float(rates[min(step, len(rates) - 1)])
            optimizer.zero_grad()
            out, _ = net(x)
            pred, y = prediction_and_target(out, targets[mine])
            loss = loss_fn(pred, y)
            loss.backward()
            if CONFIG['clip_value'] is not None:
                nn.utils.clip_grad_value_(model.parameters(), CONFIG['clip_value'])
            if CONFIG['clip'] is not None:
                nn.utils.clip_grad_norm_(model.parameters(), CONFIG['clip'])
            optimizer.step()
            value = loss.detach().clone()
            if distributed:  # the global batch's loss: the mean of the equal shares'
                dist.all_reduce(value)
                value /= world
            losses.append(value.item())
            step += 1
            if rank == 0 and step % 50 == 0:
                print(f'step {step} (epoch {epoch + 1}): loss {losses[-1]:.5f}', flush=True)
            if args.steps is not None and step >= args.steps:
                break
        if args.steps is not None and step >= args.steps:
            break
    for group in optimizer.param_groups:
        group['lr'] = base_lr
    if rank == 0:
        os.makedirs(args.out, exist_ok=True)
        save_file({k: v.contiguous() for k, v in model.state_dict().items()},
                  os.path.join(args.out, 'checkpoint.safetensors'))
        with open(os.path.join(args.out, 'losses.json'), 'w') as f:
            json.dump(losses, f)
        print(f'{step} steps, last loss {losses[-1]:.5f}; wrote checkpoint.safetensors', flush=True)
    if distributed:
        dist.destroy_process_group()


if __name__ == '__main__':
    main()
`;

export const SAFETENSORS_LITE_PY = `"""
load_file / save_file of the safetensors format with torch alone, for machines without the
\`safetensors\` package (train.py prefers the package when it is installed). The format: an
8-byte little-endian header length, a JSON header {name: {dtype, shape, data_offsets}}, then the
tensors' little-endian bytes.
"""
import json
import struct

import torch

DTYPES = {'F64': torch.float64, 'F32': torch.float32, 'F16': torch.float16, 'BF16': torch.bfloat16,
          'I64': torch.int64, 'I32': torch.int32}
NAMES = {v: k for k, v in DTYPES.items()}


def load_file(path):
    with open(path, 'rb') as f:
        data = f.read()
    (n,) = struct.unpack_from('<Q', data, 0)
    header = json.loads(data[8:8 + n].decode('utf-8'))
    header.pop('__metadata__', None)
    out = {}
    for name, entry in header.items():
        begin, end = entry['data_offsets']
        raw = bytearray(data[8 + n + begin:8 + n + end])
        dtype = DTYPES[entry['dtype']]
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        out[name] = flat.reshape(entry['shape']).clone()
    return out


def save_file(tensors, path):
    header, chunks, offset = {}, [], 0
    for name, tensor in tensors.items():
        t = tensor.detach().cpu().contiguous()
        raw = t.reshape(-1).view(torch.uint8).numpy().tobytes() if t.numel() else b''
        header[name] = {'dtype': NAMES[t.dtype], 'shape': list(t.shape), 'data_offsets': [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    text = json.dumps(header).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for raw in chunks:
            f.write(raw)
`;

export const REQUIREMENTS_TXT = `torch>=1.13
numpy
# optional: train.py uses it when installed, safetensors_lite.py otherwise
safetensors
`;

export const README_MD = (description: string, data: string, steps: number): string => `# ${description}

Exported from LSTM Notebook with \`exportPyTorch\`: the notebook's model, its weights and its
training set, and a training script that does what the notebook's \`train()\` did.

| file | what |
|---|---|
| \`model.py\` | \`Model\`: the same architecture |
| \`weights.safetensors\` | the notebook's weights when it was exported |
| \`data/inputs.npy\`, \`data/targets.npy\` | ${data} |
| \`train.py\` | the same loss, optimizer, hyper-parameters, clipping and schedule (${steps} steps as exported) |
| \`recurrent.py\` | when torch.nn has no module for the model (the LSTM variants, Cho's GRU): one with the same equations |
| \`safetensors_lite.py\` | reads and writes safetensors when the \`safetensors\` package is not installed |

## Run

\`\`\`sh
pip install -r requirements.txt
python train.py                                            # one process
torchrun --standalone --nproc_per_node=2 train.py          # two processes on this machine
torchrun --nnodes=2 --node_rank=0 --nproc_per_node=8 \\
         --rdzv_endpoint=HOST:29500 train.py                # several machines (node_rank 1 on the other)
\`\`\`

With PyTorch 1.13 under Python 3.11 (Debian 12's packages) torchrun needs \`--redirects=1 --tee=1\`
before \`train.py\`: its default of 0 for them fails to parse there.

Options: \`--steps\`, \`--epochs\`, \`--batch-size\` (the global batch, split across processes),
\`--out\`, \`--no-shuffle\`, \`--seed\`, \`--init random\`. Under Ray Train, call \`main()\` from a
\`TorchTrainer\` training function: Ray starts the processes and sets the same environment torchrun does.

## Back into the notebook

\`\`\`ts
const bytes = readFileSync(join(__dirname, '<this folder>/checkpoint.safetensors'));
model.loadStateDict(loadSafetensors(bytes, { prefix: 'rnn.' }));
head.loadStateDict(loadSafetensors(bytes, { prefix: 'head.' }));
\`\`\`
`;
