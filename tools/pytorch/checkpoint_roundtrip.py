"""Loads a checkpoint written by `glidn train` into the PyTorch model (strictly, by
name and shape), then writes the PyTorch weights back as a safetensors checkpoint that
`glidn evaluate` can read. Usage: python3 checkpoint_roundtrip.py IN.safetensors OUT.safetensors"""
import json
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

from glidn_torch import GLIDN

source, target = sys.argv[1], sys.argv[2]
with safe_open(source, "pt") as f:
    metadata = f.metadata()
config = json.loads(metadata["config"])
state = load_file(source)
model = GLIDN(config)
params = model.named_checkpoint()
missing = set(params) - set(state)
unexpected = set(state) - set(params)
assert not missing and not unexpected, (missing, unexpected)
with torch.no_grad():
    for name, p in params.items():
        assert p.shape == state[name].shape, (name, p.shape, state[name].shape)
        p.copy_(state[name])
print(f"loaded {len(params)} tensors from {source} into PyTorch (variant {config.get('variant', 'glidn')})")
save_file({k: v.detach().contiguous() for k, v in model.named_checkpoint().items()}, target,
          metadata={"config": json.dumps(config), "written_by": "torch"})
print(f"wrote {target} with torch")
