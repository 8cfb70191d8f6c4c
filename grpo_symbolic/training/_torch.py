"""Lazy access to PyTorch with one-line errors for the command line."""

from __future__ import annotations

from ..errors import InputError


def require_torch():
    """Import and return :mod:`torch`, or raise a one-line :class:`InputError`."""
    try:
        import torch
    except ImportError:  # pragma: no cover - torch is installed in the test environment
        raise InputError(
            "this command needs PyTorch (not installed): pip install 'grpo_symbolic[numeric]'"
        ) from None
    return torch


def resolve_device(name: str):
    """``"cpu"``, ``"cuda"`` or ``"cuda:K"`` as a :class:`torch.device`, checking availability."""
    torch = require_torch()
    name = str(name).strip().lower()
    if name == "cpu":
        return torch.device("cpu")
    if name == "cuda" or name.startswith("cuda:"):
        if not torch.cuda.is_available():
            raise InputError(f"device {name!r} requested but CUDA is not available on this machine")
        dev = torch.device(name)
        if dev.index is not None and dev.index >= torch.cuda.device_count():
            raise InputError(f"device {name!r}: only {torch.cuda.device_count()} CUDA device(s)")
        return dev
    raise InputError(f"device must be cpu or cuda, got {name!r}")
