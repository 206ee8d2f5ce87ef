/**
 * recurrent.py of an exported PyTorch project: the recurrent layers torch.nn has no module for,
 * written as small readable modules with the notebook's equations and parameter names — the
 * LSTM variants of Greff et al. 2015 (peepholes, CIFG, no input / forget / output gate, no
 * activations, full gate recurrence) and Cho et al. 2014's GRU (reset before). Stacking,
 * directions, dropout between layers and the state layout are nn.LSTM's / nn.GRU's.
 */
export const RECURRENT_PY = `"""
Recurrent layers torch.nn has no module for, exported from LSTM Notebook with its equations and
parameter names (the same as nn.LSTM / nn.GRU, plus weight_peephole_l{k} and weight_gate_l{k}).
A Python loop over time: readable, and exact, not fast.

GreffLSTM (Greff et al. 2015), gate blocks i, f, g, o:
  i_t = sigma(W_ii x_t + b_ii + W_hi h_{t-1} + b_hi [+ p_i * c_{t-1}] [+ R_i a_{t-1}])
  f_t = sigma(W_if x_t + b_if + W_hf h_{t-1} + b_hf [+ p_f * c_{t-1}] [+ R_f a_{t-1}])
  g_t = tanh(W_ig x_t + b_ig + W_hg h_{t-1} + b_hg)
  c_t = f_t * c_{t-1} + i_t * g_t
  o_t = sigma(W_io x_t + b_io + W_ho h_{t-1} + b_ho [+ p_o * c_t] [+ R_o a_{t-1}])
  h_t = o_t * tanh(c_t)
  peepholes p = weight_peephole [3H] (p_i, p_f, p_o); full gate recurrence R = weight_gate
  [3H, 3H] over a_{t-1} = [i, f, o]_{t-1}; NIG i = 1, NFG f = 1, NOG o = 1, CIFG f = 1 - i,
  NIAF g without tanh, NOAF h = o * c.

ChoGRU (Cho et al. 2014, reset before), gate blocks r, z, n:
  r_t = sigma(W_ir x_t + b_ir + W_hr h_{t-1} + b_hr)
  z_t = sigma(W_iz x_t + b_iz + W_hz h_{t-1} + b_hz)
  n_t = tanh(W_in x_t + b_in + W_hn (r_t * h_{t-1}) + b_hn)
  h_t = (1 - z_t) * n_t + z_t * h_{t-1}
"""
import math

import torch
from torch import nn


class _Stacked(nn.Module):
    """Layers x directions of one cell, parameters named as torch.nn's recurrent modules name them."""

    def __init__(self, blocks, input_size, hidden_size, num_layers, bias, dropout, bidirectional, extra):
        super().__init__()
        self.hidden_size, self.num_layers, self.dropout = hidden_size, num_layers, dropout
        self.suffixes = ['', '_reverse'] if bidirectional else ['']
        bound = 1 / math.sqrt(hidden_size)
        for k in range(num_layers):
            size = input_size if k == 0 else hidden_size * len(self.suffixes)
            for sfx in self.suffixes:
                shapes = {'weight_ih': (blocks * hidden_size, size), 'weight_hh': (blocks * hidden_size, hidden_size)}
                if bias:
                    shapes.update(bias_ih=(blocks * hidden_size,), bias_hh=(blocks * hidden_size,))
                shapes.update(extra)
                for name, shape in shapes.items():
                    weight = nn.Parameter(torch.empty(shape).uniform_(-bound, bound))
                    self.register_parameter(f'{name}_l{k}{sfx}', weight)

    def weights(self, k, sfx):
        return {name[:-len(f'_l{k}{sfx}')]: p for name, p in self.named_parameters(recurse=False)
                if name.endswith(f'_l{k}{sfx}') and (sfx or not name.endswith('_reverse'))}

    def run(self, x, states):
        """x [T, B, I]; states: per layer and direction, the cell's state tuple. Returns output, finals."""
        finals = []
        for k in range(self.num_layers):
            outputs = []
            for d, sfx in enumerate(self.suffixes):
                w = self.weights(k, sfx)
                state = states[k * len(self.suffixes) + d]
                memory = None
                steps = range(x.shape[0]) if d == 0 else reversed(range(x.shape[0]))
                ys = [None] * x.shape[0]
                for t in steps:
                    state, memory = self.cell(w, x[t], state, memory)
                    ys[t] = state[0]
                outputs.append(torch.stack(ys))
                finals.append(state)
            x = torch.cat(outputs, dim=2)
            if self.training and self.dropout > 0 and k < self.num_layers - 1:
                x = nn.functional.dropout(x, self.dropout)
        return x, finals

    @staticmethod
    def linear(x, h, w):
        z = x @ w['weight_ih'].T + h @ w['weight_hh'].T
        return z + w['bias_ih'] + w['bias_hh'] if 'bias_ih' in w else z


class GreffLSTM(_Stacked):
    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, dropout=0.0, bidirectional=False,
                 peephole=False, input_gate=True, forget_gate=True, output_gate=True, coupled=False,
                 input_activation=True, output_activation=True, full_gate_recurrence=False):
        extra = {}
        if peephole:
            extra['weight_peephole'] = (3 * hidden_size,)
        if full_gate_recurrence:
            extra['weight_gate'] = (3 * hidden_size, 3 * hidden_size)
        super().__init__(4, input_size, hidden_size, num_layers, bias, dropout, bidirectional, extra)
        self.flags = dict(peephole=peephole, input_gate=input_gate, forget_gate=forget_gate,
                          output_gate=output_gate, coupled=coupled, input_activation=input_activation,
                          output_activation=output_activation, full_gate_recurrence=full_gate_recurrence)

    def cell(self, w, x, state, a_prev):
        h, c = state
        f = self.flags
        H = self.hidden_size
        zi, zf, zg, zo = self.linear(x, h, w).chunk(4, dim=1)
        if f['peephole']:
            p = w['weight_peephole']
            zi, zf = zi + p[:H] * c, zf + p[H:2 * H] * c
        if f['full_gate_recurrence'] and a_prev is not None:
            r = a_prev @ w['weight_gate'].T
            zi, zf, zo = zi + r[:, :H], zf + r[:, H:2 * H], zo + r[:, 2 * H:]
        one = torch.ones_like(zi)
        i = torch.sigmoid(zi) if f['input_gate'] else one
        fg = 1 - i if f['coupled'] else (torch.sigmoid(zf) if f['forget_gate'] else one)
        g = torch.tanh(zg) if f['input_activation'] else zg
        c = fg * c + i * g
        if f['peephole']:
            zo = zo + w['weight_peephole'][2 * H:] * c
        o = torch.sigmoid(zo) if f['output_gate'] else one
        h = o * (torch.tanh(c) if f['output_activation'] else c)
        return (h, c), (torch.cat([i, fg, o], dim=1) if f['full_gate_recurrence'] else None)

    def forward(self, x, state=None):
        n = self.num_layers * len(self.suffixes)
        if state is None:
            zeros = x.new_zeros(n, x.shape[1], self.hidden_size)
            state = (zeros, zeros)
        output, finals = self.run(x, [(state[0][j], state[1][j]) for j in range(n)])
        return output, (torch.stack([s[0] for s in finals]), torch.stack([s[1] for s in finals]))


class ChoGRU(_Stacked):
    def __init__(self, input_size, hidden_size, num_layers=1, bias=True, dropout=0.0, bidirectional=False):
        super().__init__(3, input_size, hidden_size, num_layers, bias, dropout, bidirectional, {})

    def cell(self, w, x, state, memory):
        (h,) = state
        H = self.hidden_size
        zx = x @ w['weight_ih'].T + (w['bias_ih'] if 'bias_ih' in w else 0)
        hh = w['weight_hh']
        bh = w['bias_hh'] if 'bias_hh' in w else torch.zeros(3 * H)
        rz = zx[:, :2 * H] + h @ hh[:2 * H].T + bh[:2 * H]
        r, z = torch.sigmoid(rz).chunk(2, dim=1)
        n = torch.tanh(zx[:, 2 * H:] + (r * h) @ hh[2 * H:].T + bh[2 * H:])
        return ((1 - z) * n + z * h,), None

    def forward(self, x, state=None):
        n = self.num_layers * len(self.suffixes)
        if state is None:
            state = x.new_zeros(n, x.shape[1], self.hidden_size)
        output, finals = self.run(x, [(state[j],) for j in range(n)])
        return output, torch.stack([s[0] for s in finals])
`;
