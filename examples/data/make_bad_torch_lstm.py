"""Writes bad-torch-lstm.json: the state dict of a PyTorch nn.LSTM(2, 16) + nn.Linear(16, 1)
initialised the way tutorial 6 diagnoses — forget-gate biases of -6 (the forget gates start
shut) and every LSTM weight 8x too large (the gates saturate). Nothing is trained; the point
is to import weights made elsewhere and look inside them.

Run with Debian's PyTorch:  apt-get install python3-torch && /usr/bin/python3 make_bad_torch_lstm.py
"""
import json
import torch

torch.manual_seed(6)
lstm = torch.nn.LSTM(2, 16)
head = torch.nn.Linear(16, 1)
H = 16
with torch.no_grad():
    for name, p in lstm.named_parameters():
        p.mul_(8.0)
    lstm.bias_ih_l0[H:2 * H] = -6.0  # gate order i, f, g, o: rows H..2H are the forget gate
    lstm.bias_hh_l0[H:2 * H] = 0.0
state = {k: v.double().tolist() for k, v in lstm.state_dict().items()}
state.update({f"head.{k}": v.double().tolist() for k, v in head.state_dict().items()})
with open("bad-torch-lstm.json", "w") as f:
    json.dump({"generator": "examples/data/make_bad_torch_lstm.py", "torch": torch.__version__, "stateDict": state}, f)
