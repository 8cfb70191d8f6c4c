"""Write ``proofs/proof_<id>.py``: one machine-checked proof script per statement.

Each script is both a pytest test and a program a reviewer runs
(``python proofs/proof_thm3.py``) to read the statement as printed, the
reading checked, the verdict with its evidence, and the independent re-checks.

    python -m grpo_symbolic.audit.make_proofs [DIR]
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

from .statements import all_statements

TEMPLATE = '''r"""Proof script for `{id}` — {source}.

Statement as printed (STATEMENTS.md):

{text}

Run ``python {path}`` to print the verdict, its evidence and the independent
re-checks; pytest runs it as a test (the verdict must be the pinned one and its
evidence must survive the re-checks).
"""

from grpo_symbolic.audit.proofscript import prove

STATEMENT_ID = "{id}"


def test_{func}():
    prove(STATEMENT_ID)


if __name__ == "__main__":
    prove(STATEMENT_ID, verbose=True)
'''


def script_name(cid: str) -> str:
    return "proof_" + re.sub(r"[^a-z0-9]+", "_", cid) + ".py"


def render(cid: str) -> str:
    st = all_statements()[cid]
    text = textwrap.indent(st.text.replace(chr(34) * 3, chr(39) * 3), "    ")  # raw docstring: no escaping
    name = script_name(cid)
    return TEMPLATE.format(id=cid, source=st.source.replace('"', "'"), text=text, path=f"proofs/{name}",
                           func=name[:-3].replace("proof_", ""))


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    out = []
    for cid in all_statements():
        path = directory / script_name(cid)
        path.write_text(render(cid), encoding="utf-8")
        out.append(path)
    return out


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("proofs")
    paths = write_all(target)
    print(f"wrote {len(paths)} proof scripts to {target}/")
