"""Theory meets Hugging Face TRL: ``grpo-symbolic predict`` and ``simulate --backend trl``.

* :mod:`.config` -- a TRL ``GRPOConfig`` (YAML / JSON / object) mapped onto the theory's variant;
* :mod:`.pref` -- per-prompt reference success counts and their Clopper--Pearson intervals;
* :mod:`.predict` -- fixed points, orbit kinds and the predicted PoS after N rounds, with a band;
* :mod:`.task` and :mod:`.backend` -- TRL's real ``GRPOTrainer`` on a tiny local Llama, with the
  exact PoS of every prompt (all completions enumerated); these import torch / transformers / trl
  (the ``[trl]`` extra) and nothing imports them at start-up.
"""
