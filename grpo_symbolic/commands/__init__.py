"""Sub-commands of ``grpo-symbolic``.

Every module in this package that defines ``NAME``, ``HELP``, ``add_arguments(parser)``
and ``run(args) -> int`` becomes a sub-command; :mod:`grpo_symbolic.cli` finds them, so
adding a command never means editing a shared list.
"""
