#!/usr/bin/env python3
"""PyTorch's side of `make bench`: the reference timings of torch_reference.py plus, per workload,
milliseconds per training step, ATen operators per training step (leaf operators of one
step under torch.profiler: the closest PyTorch has to the kernels tfjs counts), and milliseconds of the
convolutions alone in one step (forward and gradients, each layer timed alone), as bench.ts measures.

Usage: /usr/bin/python3 bench/torch_steps.py REFERENCE_PY THREADS
Prints one JSON object: {"framework", "threads", "q1": {...}, "q7": {...}}.
"""
import importlib.util, json, sys

import torch
import torch.nn as nn


def load(path):
    spec = importlib.util.spec_from_file_location("torch_reference", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def ops_per_step(build, batch=32):
    torch.manual_seed(0)
    model = build()
    opt = torch.optim.Adam(model.parameters())
    loss_fn = nn.CrossEntropyLoss()
    x = torch.rand(batch, 1, 28, 28)
    y = torch.randint(0, 10, (batch,))

    def step():
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()

    step()  # Adam's state is created on the first step
    with torch.profiler.profile(activities=[torch.profiler.ProfilerActivity.CPU]) as prof:
        step()
    return sum(1 for e in prof.events() if e.name.startswith("aten::") and not e.cpu_children)


def conv_ms_per_step(build, batch=32, repeats=15):
    """The convolutions of one training step, each layer timed alone (best of `repeats`): forward,
    then the gradients of the filter (and of the input, except for the first layer, whose input needs
    none), as bench.ts's convMsPerStep measures tfjs's kernels."""
    import time
    torch.manual_seed(0)
    model = build()
    x = torch.rand(batch, 1, 28, 28)
    total, first = 0.0, True
    for layer in model:
        if isinstance(layer, nn.Conv2d):
            xin = x.detach().clone().requires_grad_(not first)
            w = layer.weight.detach().clone().requires_grad_(True)
            y = nn.functional.conv2d(xin, w, stride=layer.stride, padding=layer.padding)
            dy = torch.randn_like(y)
            wanted = (w,) if first else (w, xin)

            def run():
                out = nn.functional.conv2d(xin, w, stride=layer.stride, padding=layer.padding)
                torch.autograd.grad(out, wanted, dy)

            run()
            best = float("inf")
            for _ in range(repeats):
                t = time.perf_counter()
                run()
                best = min(best, time.perf_counter() - t)
            total += 1000 * best
            first = False
        with torch.no_grad():
            x = layer(x)
    return round(total, 2)


def main():
    ref, threads = load(sys.argv[1]), int(sys.argv[2])
    torch.set_num_threads(threads)
    out = {"framework": f"pytorch {torch.__version__}", "threads": threads}
    for name in ("q1", "q7"):
        build = getattr(ref, name)
        r = ref.measure(build)
        r["ms_per_step"] = round(1000 * 32 / r["train_samples_per_s"], 2)
        r["ops_per_step"] = ops_per_step(build)
        r["conv_ms_per_step"] = conv_ms_per_step(build)
        out[name] = r
    print(json.dumps(out))


if __name__ == "__main__":
    main()
