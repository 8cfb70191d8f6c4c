#!/usr/bin/env python
"""Benchmark of the vectorised GRPO step (grpo_symbolic.training) against a naive baseline.

Measures, in one run and on one device:

* **tabular step** (``N`` prompts x ``K`` outputs, group size ``G``): one optimiser step =
  ``log_softmax`` of the ``(N, K)`` logits, gather at the ``(N, G)`` samples, the GRPO loss
  (ratio surrogate, optional clip, exact sequence-level KL or k3), backward, Adam update;
  and one whole iteration of Algorithm 1 (``grpo_iteration``: old log-probs, sampling,
  advantages, one step, exact PoS);
* **naive baseline**: the same iteration written as a Python loop over prompts (one
  ``multinomial`` and one small loss per prompt), timed at a small ``N``; the report gives
  the speed-up per prompt of the vectorised code at the same small ``N`` and at full size;
* **transformer step** (``--transformer-prompts``, V=4, T=4: 256 sequences enumerated).

Memory: peak CUDA allocation on GPU; on CPU the growth of the process's peak RSS and the
bytes of the step's main tensors.  Results go to ``bench/results/training_<device>.json``
with provenance (torch version, device, sizes, threads, date, git commit).

GPU target (lead, when a GPU is lent)::

    python bench/bench_training.py --device cuda --prompts 100000 --outputs 256 --group-size 16

(goal: under 50 ms per optimiser step on an H100).  CPU default: sizes that run in seconds.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def _sync(device):
    import torch

    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _time(fn, device, reps: int, warmup: int) -> dict:
    for _ in range(warmup):
        fn()
    _sync(device)
    ts = []
    for _ in range(reps):
        t0 = time.perf_counter()
        fn()
        _sync(device)
        ts.append((time.perf_counter() - t0) * 1e3)
    ts.sort()
    return {"median_ms": ts[len(ts) // 2], "min_ms": ts[0], "max_ms": ts[-1], "reps": reps}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def _tabular(N, K, G, dtype, device, seed=0):
    import torch

    from grpo_symbolic.training.policies import make_tabular_policy

    g = torch.Generator().manual_seed(seed)
    p_ref = 0.05 + 0.9 * torch.rand(N, generator=g, dtype=torch.float64)
    return make_tabular_policy(p_ref, K, generator=g, dtype=dtype, device=device)


def _variant(args, G: int, clip=None):
    """The benchmarked variant: ``--beta``, ``--alpha``, eps 1e-4, group size ``G`` in the trl
    convention, and ``clip`` (its p_ref is unused: each prompt has its own pi_ref)."""
    from grpo_symbolic.params import Params

    return Params.parse(beta=args.beta, alpha=args.alpha, eps="1e-4", p_ref="0.5", group_size=G,
                        convention="trl", clip=clip)


def bench_tabular(args, device, dtype) -> dict:
    import torch

    from grpo_symbolic.training.core import group_advantages, grpo_loss
    from grpo_symbolic.training.loop import GRPOConfig, grpo_iteration

    N, K, G = args.prompts, args.outputs, args.group_size
    if device.type == "cuda":
        torch.cuda.reset_peak_memory_stats(device)
    rss0 = _peak_rss_mb()
    pol = _tabular(N, K, G, dtype, device)
    cfg = GRPOConfig(_variant(args, G, clip=args.clip), mode="sample", inner_steps=1, optimizer="adam", lr=1e-2,
                     kl=args.kl, diagnostics=False)
    opt = torch.optim.Adam(pol.parameters(), lr=1e-2)
    gen = torch.Generator(device=device).manual_seed(1)

    # fixed batch for the optimiser-step timing (as inside one iteration with mu steps)
    with torch.no_grad():
        logp_all_old = pol.log_probs_all().detach()
        idx = pol.sample(G, gen)
        rewards = pol.success.gather(-1, idx).to(dtype)
        adv = group_advantages(rewards, "trl", 1e-4)
        lo, lr_ = logp_all_old.gather(-1, idx), pol.ref_log_probs_all().gather(-1, idx)
    ref_all = pol.ref_log_probs_all()
    anchor = cfg.alpha * ref_all + (1 - cfg.alpha) * logp_all_old if cfg.kl == "exact" and 0 < cfg.alpha < 1 else None

    def step():
        opt.zero_grad(set_to_none=True)
        la = pol.log_probs_all()
        loss, _ = grpo_loss(la.gather(-1, idx), lo, adv, beta=cfg.beta, alpha=cfg.alpha, clip=cfg.clip, kl=cfg.kl,
                            logp_ref=lr_, logp_all=la if cfg.kl == "exact" else None, logp_all_ref=ref_all,
                            logp_all_old=logp_all_old, reduction="sum", kl_anchor=anchor)
        loss.backward()
        opt.step()

    step_t = _time(step, device, args.reps, args.warmup)
    it_t = _time(lambda: grpo_iteration(pol, cfg, opt, gen), device, max(3, args.reps // 2), 1)
    mem = {"peak_rss_growth_mb": _peak_rss_mb() - rss0}
    el = N * K * torch.finfo(dtype).bits // 8
    mem["param_plus_adam_state_mb"] = 4 * el / 2**20  # logits, grad, exp_avg, exp_avg_sq
    mem["step_tensors_estimate_mb"] = 8 * el / 2**20  # + ref, old, log_softmax out, exp
    if device.type == "cuda":
        mem["cuda_peak_allocated_mb"] = torch.cuda.max_memory_allocated(device) / 2**20
    return {"prompts": N, "outputs": K, "group_size": G, "kl": cfg.kl, "clip": cfg.clip, "alpha": cfg.alpha,
            "optimizer_step": step_t, "iteration_mu1": it_t,
            "step_ms_per_1k_prompts": step_t["median_ms"] / N * 1000,
            "iteration_ms_per_1k_prompts": it_t["median_ms"] / N * 1000,
            "memory": mem}


def naive_iteration(pol, opt, G, beta, alpha, eps, gen):
    """The same iteration as ``grpo_iteration`` (trl advantages, exact KL, Adam), written as a
    Python loop over prompts: the baseline."""
    import torch

    N = pol.num_prompts
    with torch.no_grad():
        old = torch.log_softmax(pol.logits, -1).detach()
    opt.zero_grad(set_to_none=True)
    total = 0.0
    for q in range(N):
        lp = torch.log_softmax(pol.logits[q], -1)
        idx = torch.multinomial(old[q].exp(), G, replacement=True, generator=gen)
        r = [float(pol.success[q, i]) for i in idx.tolist()]
        m = sum(r) / G
        sd = (sum((x - m) ** 2 for x in r) / (G - 1)) ** 0.5
        A = torch.tensor([0.0 if sd == 0 else (x - m) / (sd + eps) for x in r], dtype=lp.dtype, device=lp.device)
        ratio = torch.exp(lp[idx] - old[q][idx])
        p = lp.exp()
        kl_ref = (p * (lp - pol.ref_logp[q])).sum()
        kl_old = (p * (lp - old[q])).sum()
        total = total + (-(ratio * A).mean() + beta * (alpha * kl_ref + (1 - alpha) * kl_old))
    total.backward()
    opt.step()


def bench_baseline(args, device, dtype) -> dict:
    import torch

    from grpo_symbolic.training.loop import GRPOConfig, grpo_iteration

    n, K, G = args.baseline_prompts, args.outputs, args.group_size
    pol = _tabular(n, K, G, dtype, device)
    opt = torch.optim.Adam(pol.parameters(), lr=1e-2)
    gen_cpu = torch.Generator(device=device).manual_seed(2)
    naive = _time(lambda: naive_iteration(pol, opt, G, args.beta, args.alpha, 1e-4, gen_cpu), device, 3, 1)
    pol2 = _tabular(n, K, G, dtype, device)
    cfg = GRPOConfig(_variant(args, G), mode="sample", inner_steps=1, optimizer="adam", lr=1e-2, kl="exact",
                     diagnostics=False)
    opt2 = torch.optim.Adam(pol2.parameters(), lr=1e-2)
    gen = torch.Generator(device=device).manual_seed(2)
    vec = _time(lambda: grpo_iteration(pol2, cfg, opt2, gen), device, 5, 1)
    return {"prompts": n, "outputs": K, "group_size": G,
            "naive_loop_iteration": naive, "vectorised_iteration": vec,
            "naive_ms_per_1k_prompts": naive["median_ms"] / n * 1000,
            "vectorised_ms_per_1k_prompts": vec["median_ms"] / n * 1000,
            "speedup_same_size": naive["median_ms"] / vec["median_ms"]}


def bench_transformer(args, device, dtype) -> dict:
    import torch

    from grpo_symbolic.params import Params
    from grpo_symbolic.training.loop import GRPOConfig, grpo_iteration
    from grpo_symbolic.training.policies import make_transformer_policy

    out = {}
    N = args.transformer_prompts
    for kl in ("exact", "k3"):
        pol = make_transformer_policy(N, vocab=4, length=4, d_model=32, layers=1, heads=2, dtype=dtype, device=device)
        variant = Params.parse(beta="1", eps="1e-5", p_ref="0.5", group_size=args.group_size)
        cfg = GRPOConfig(variant, mode="sample", inner_steps=args.transformer_mu, optimizer="adam", lr=1e-2, kl=kl,
                         diagnostics=False)
        opt = torch.optim.Adam(pol.model.parameters(), lr=1e-2)
        gen = torch.Generator(device=device).manual_seed(3)
        t = _time(lambda: grpo_iteration(pol, cfg, opt, gen), device, 3, 1)
        out[kl] = {"iteration": t, "inner_steps": cfg.inner_steps,
                   "ms_per_optimiser_step_upper_bound": t["median_ms"] / cfg.inner_steps}
    return {"prompts": N, "vocab": 4, "length": 4, "sequences": 256, "d_model": 32, "layers": 1,
            "group_size": args.group_size, **out,
            "note": "iteration = old log-probs over all 256 sequences (exact PoS), autoregressive sampling, "
                    "mu steps, final PoS; exact KL needs the full enumeration at every step, k3 only the samples"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--prompts", type=int, default=10_000)
    ap.add_argument("--outputs", type=int, default=256)
    ap.add_argument("--group-size", dest="group_size", type=int, default=16)
    ap.add_argument("--kl", default="exact", choices=["exact", "k3"])
    ap.add_argument("--clip", type=float, default=0.2)
    ap.add_argument("--alpha", type=float, default=0.5, help="0.5: both KL terms are computed")
    ap.add_argument("--beta", type=float, default=0.1)
    ap.add_argument("--reps", type=int, default=10)
    ap.add_argument("--warmup", type=int, default=2)
    ap.add_argument("--baseline-prompts", dest="baseline_prompts", type=int, default=200)
    ap.add_argument("--transformer-prompts", dest="transformer_prompts", type=int, default=64)
    ap.add_argument("--transformer-mu", dest="transformer_mu", type=int, default=4)
    ap.add_argument("--threads", type=int, default=1, help="CPU threads for torch (default 1)")
    ap.add_argument("--skip-baseline", action="store_true")
    ap.add_argument("--skip-transformer", action="store_true")
    ap.add_argument("--out", default=None, help="JSON path (default bench/results/training_<device>.json)")
    args = ap.parse_args(argv)

    import torch

    from grpo_symbolic.errors import InputError
    from grpo_symbolic.training import resolve_device

    try:
        device = resolve_device(args.device)
    except InputError as exc:
        print(f"bench_training: error: {exc}", file=sys.stderr)
        return 2
    torch.set_num_threads(args.threads)
    dtype = {"float32": torch.float32, "float64": torch.float64}[args.dtype]
    if device.type == "cuda":
        dev_name = torch.cuda.get_device_name(device)
    else:
        dev_name = platform.processor() or platform.machine()
    try:
        commit = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "HEAD"], capture_output=True, text=True,
                                timeout=10).stdout.strip() or None
    except Exception:  # pragma: no cover
        commit = None
    res = {"benchmark": "grpo_symbolic.training tabular/transformer GRPO step",
           "provenance": {"date_utc": _dt.datetime.now(_dt.timezone.utc).isoformat(timespec="seconds"),
                          "torch": torch.__version__, "python": platform.python_version(),
                          "device": str(device), "device_name": dev_name, "dtype": args.dtype,
                          "torch_threads": torch.get_num_threads(), "cpu_count": os.cpu_count(),
                          "platform": platform.platform(), "git_commit": commit,
                          "command": " ".join([Path(sys.argv[0]).name] + (argv if argv is not None else sys.argv[1:]))},
           "target": "GPU: 1e5 prompts x 256 outputs x G=16 under 50 ms per optimiser step (H100)"}
    print(f"tabular N={args.prompts} K={args.outputs} G={args.group_size} on {device} ({args.dtype}) ...",
          file=sys.stderr)
    res["tabular"] = bench_tabular(args, device, dtype)
    t = res["tabular"]
    print(f"  optimiser step {t['optimizer_step']['median_ms']:.2f} ms, iteration (mu=1) "
          f"{t['iteration_mu1']['median_ms']:.2f} ms, memory {t['memory']}", file=sys.stderr)
    if not args.skip_baseline:
        res["baseline"] = bench_baseline(args, device, dtype)
        b = res["baseline"]
        res["tabular"]["speedup_vs_naive_per_prompt"] = b["naive_ms_per_1k_prompts"] / t["iteration_ms_per_1k_prompts"]
        print(f"  naive loop {b['naive_ms_per_1k_prompts']:.1f} ms/1k prompts vs vectorised "
              f"{b['vectorised_ms_per_1k_prompts']:.2f} (same N={b['prompts']}) and "
              f"{t['iteration_ms_per_1k_prompts']:.3f} (N={args.prompts}): speed-up "
              f"{b['speedup_same_size']:.0f}x / {res['tabular']['speedup_vs_naive_per_prompt']:.0f}x", file=sys.stderr)
    if not args.skip_transformer:
        res["transformer"] = bench_transformer(args, device, dtype)
        tr = res["transformer"]
        print(f"  transformer N={tr['prompts']}: iteration exact-KL {tr['exact']['iteration']['median_ms']:.1f} ms, "
              f"k3 {tr['k3']['iteration']['median_ms']:.1f} ms (mu={args.transformer_mu})", file=sys.stderr)
    out = Path(args.out) if args.out else ROOT / "bench" / "results" / f"training_{device.type}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, indent=2) + "\n")
    print(f"wrote {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
