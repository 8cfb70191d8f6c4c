"""The only place a verdict is made.

* :mod:`.verdict` — the verdicts, their certificates and constructors;
* :mod:`.checks` — symbolic identities, interval covers and certified counterexamples;
* :mod:`.recheck` — independent re-checks of the evidence (SymPy evalf, brute force);
* :mod:`.arbeval` — Arb evaluation of SymPy expressions from exact inputs;
* :mod:`.domains` — the domains of the variables of a check.
"""
