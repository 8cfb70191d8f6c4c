"""``python -m grpo_symbolic`` is the same as the ``grpo-symbolic`` command."""

from .cli import main

raise SystemExit(main())
