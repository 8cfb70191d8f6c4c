"""Write TRL's own GRPOConfig defaults (TRL 1.16.0) with TRL's API.

    python examples/trl/make_default_config.py     # needs the [trl] extra

writes ``grpo_config_defaults.json`` (``GRPOConfig.to_json_string()``) and
``grpo_config_defaults.yaml`` (``GRPOConfig.to_dict()`` as YAML, the format ``trl grpo --config``
reads) next to this script.  ``use_cpu=True`` is the only field set (TRL 1.16 refuses its own
``bf16=True`` default on a machine without a GPU otherwise); ``output_dir`` is required.
"""

import json
import os

import yaml
from trl import GRPOConfig

HERE = os.path.dirname(os.path.abspath(__file__))

config = GRPOConfig(output_dir="grpo-out", use_cpu=True)
with open(os.path.join(HERE, "grpo_config_defaults.json"), "w", encoding="utf-8") as f:
    f.write(config.to_json_string())
with open(os.path.join(HERE, "grpo_config_defaults.yaml"), "w", encoding="utf-8") as f:
    yaml.safe_dump(json.loads(config.to_json_string()), f, sort_keys=True)
print("wrote grpo_config_defaults.json and grpo_config_defaults.yaml")
