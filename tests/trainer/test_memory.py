"""The training memory estimate: gradient checkpointing on when needed, NotEnoughGPUMemory when even that cannot
fit, LoRA's frozen weights costing no optimizer state; the model's context and LoRA settings it cannot take."""

from __future__ import annotations

import pytest
from transformers import GPT2Config, LlamaConfig, MptConfig
from tweetbot_trainer.config import TrainConfig
from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.train.lora import apply_lora
from tweetbot_trainer.train.memory import GiB, ModelSize, state_terms, use_gradient_checkpointing
from tweetbot_trainer.train.model_loading import model_context

# Llama-3-8B's shape: 32 layers, hidden 4096, vocab 128256.
LLAMA_8B = LlamaConfig(num_hidden_layers=32, hidden_size=4096, vocab_size=128256)
FULL_8B = ModelSize.of(LLAMA_8B, 8_000_000_000)
LORA_8B = ModelSize.of(LLAMA_8B, 8_000_000_000, trainable=20_000_000)
LORA_8B_BF16 = ModelSize.of(LLAMA_8B, 8_000_000_000, trainable=20_000_000, frozen_bytes=2)  # bf16 GPUs


def test_a_full_fine_tune_of_8b_does_not_fit_80gb_but_lora_does() -> None:
    with pytest.raises(TweetBotInputError) as raised:
        use_gradient_checkpointing("auto", FULL_8B, 1024, 80 * GiB, half=True)
    assert raised.value.reason == "NotEnoughGPUMemory" and "GiB" in raised.value.message
    assert use_gradient_checkpointing("auto", LORA_8B, 1024, 80 * GiB, half=True) is False


def test_auto_turns_checkpointing_on_only_when_a_sequence_would_not_fit() -> None:
    # 8B LoRA at 8k tokens on a bf16 base: 15 GiB weights; a sequence ~52 GiB without checkpointing, ~15 GiB with.
    assert use_gradient_checkpointing("auto", LORA_8B_BF16, 8192, 64 * GiB, half=True) is True
    assert use_gradient_checkpointing("auto", LORA_8B_BF16, 8192, 141 * GiB, half=True) is False
    with pytest.raises(TweetBotInputError):  # off as set: no way to fit
        use_gradient_checkpointing("off", LORA_8B_BF16, 8192, 64 * GiB, half=True)
    assert use_gradient_checkpointing("on", LORA_8B_BF16, 128, 141 * GiB, half=True) is True
    # An fp32 base: 30 GiB, and autocast's bf16 copy of every frozen weight, saved for backward (15 GiB).
    terms = state_terms(LORA_8B, half=True)
    assert terms["weights"] > 29 * GiB and terms["autocastCopies"] > 14.5 * GiB
    assert state_terms(LORA_8B_BF16, half=True)["autocastCopies"] < 0.1 * GiB
    assert state_terms(LORA_8B, half=True, checkpointing=True)["autocastCopies"] < GiB  # one layer's at a time


def test_on_cpu_only_an_explicit_on_turns_it_on() -> None:
    assert use_gradient_checkpointing("auto", FULL_8B, 1024, None, half=False) is False
    assert use_gradient_checkpointing("on", FULL_8B, 1024, None, half=False) is True


def test_model_context_reads_each_family_s_key() -> None:
    assert model_context(GPT2Config(n_positions=1024)) == 1024
    assert model_context(LlamaConfig(max_position_embeddings=8192)) == 8192
    assert model_context(MptConfig(max_seq_len=2048)) in (2048, None)  # some configs name none we know


def test_lora_on_an_architecture_peft_has_no_defaults_for_says_what_to_set() -> None:
    import torch

    class Plain(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.config = GPT2Config()
            self.config.model_type = "unknown-arch"
            self.proj = torch.nn.Linear(4, 4)

    with pytest.raises(TweetBotInputError) as raised:
        apply_lora(Plain(), TrainConfig(lora_rank=4))
    assert raised.value.reason == "BadLoraSettings" and "targetModules" in raised.value.message
