"""The memory estimate (train/memory.py) against memory measured on CPU for small GPT-2 and Llama shapes: the
bytes autograd saves for backward (saved-tensor hooks: the activations, logits and autocast's weight copies
that live until backward, the same graph as on CUDA; a process's RSS would mostly show the allocator's caches),
and the weights, gradients and AdamW state after a step, by dtype. bf16 autocast runs on CPU as on CUDA."""

from __future__ import annotations

import math
from typing import Any

import pytest
import torch
from peft import LoraConfig, get_peft_model
from transformers import GPT2Config, GPT2LMHeadModel, LlamaConfig, LlamaForCausalLM
from tweetbot_trainer.train.lora import parameter_counts
from tweetbot_trainer.train.memory import ModelSize, activation_terms, state_terms

HIDDEN, TOKENS, VOCAB, BATCH = 96, 160, 256, 2


def build(family: str, layers: int, base: torch.dtype, lora: bool) -> Any:
    torch.manual_seed(0)
    if family == "gpt2":  # attention dropout 0: CPU's SDPA would fall back to a kernel that keeps the scores
        model: Any = GPT2LMHeadModel(GPT2Config(n_embd=HIDDEN, n_layer=layers, n_head=4, vocab_size=VOCAB,
                                                n_positions=TOKENS, attn_pdrop=0.0,
                                                activation_function="gelu_pytorch_tanh"))
    else:
        model = LlamaForCausalLM(LlamaConfig(hidden_size=HIDDEN, intermediate_size=3 * HIDDEN,
                                             num_hidden_layers=layers, num_attention_heads=4,
                                             num_key_value_heads=2, vocab_size=VOCAB))
    model.config._attn_implementation = "sdpa"
    model.to(base)
    if lora:
        model = get_peft_model(model, LoraConfig(task_type="CAUSAL_LM", r=4, lora_dropout=0.05,
                                                 fan_in_fan_out=family == "gpt2"))
    return model.train()


def saved_for_backward(model: Any, half: bool) -> tuple[int, int, float]:
    """(activation bytes, bytes of 16-bit weight copies, loss) saved by one forward, each storage once."""
    params = {p.untyped_storage().data_ptr() for p in model.parameters()}
    shapes = {tuple(p.shape) for p in model.parameters()} | {tuple(p.shape)[::-1] for p in model.parameters()}
    activations: dict[int, int] = {}
    copies: dict[int, int] = {}

    def pack(tensor: torch.Tensor) -> torch.Tensor:
        storage = tensor.untyped_storage()
        if storage.data_ptr() not in params:
            weight_copy = tensor.dim() == 2 and tuple(tensor.shape) in shapes and tensor.dtype != torch.float32
            (copies if weight_copy else activations)[storage.data_ptr()] = storage.nbytes()
        return tensor

    x = torch.randint(0, VOCAB, (BATCH, TOKENS))
    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t), \
            torch.autocast("cpu", dtype=torch.bfloat16, enabled=half):
        loss = model(input_ids=x, labels=x).loss
    loss.backward()
    return sum(activations.values()), sum(copies.values()), float(loss.detach())


CASES = [("gpt2", False, torch.float32, False), ("gpt2", True, torch.float32, False),
         ("gpt2", True, torch.bfloat16, True), ("llama", False, torch.float32, False),
         ("llama", True, torch.float32, False), ("llama", True, torch.float32, True),
         ("llama", True, torch.bfloat16, True)]


@pytest.mark.parametrize(("family", "half", "base", "lora"), CASES)
def test_the_estimate_covers_what_a_step_keeps_and_not_much_more(family: str, half: bool, base: torch.dtype,
                                                               lora: bool) -> None:
    model = build(family, 4, base, lora)
    activations, copies, loss = saved_for_backward(model, half)
    assert math.isfinite(loss)  # a real step
    total, trainable = parameter_counts(model)
    size = ModelSize.of(model.config, total, trainable, frozen_bytes=2 if base == torch.bfloat16 else 4)
    estimate = activation_terms(size, TOKENS, BATCH, half=half, checkpointing=False)
    # On the safe side and close: the estimate also holds the logits' gradients, which are not saved tensors.
    assert activations <= sum(estimate.values()) <= 1.35 * activations, (activations, estimate)

    states = state_terms(size, half=half)
    weights = sum(p.numel() * p.element_size() for p in model.parameters())
    grads = sum(p.grad.numel() * p.grad.element_size() for p in model.parameters() if p.grad is not None)
    optimizer = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad])
    optimizer.step()
    moments = sum(t.numel() * t.element_size() for s in optimizer.state.values() for t in s.values() if t.dim())
    assert (states["weights"], states["gradients"], states["optimizer"]) == (weights, grads, moments)
    # Autocast's copies: estimated for every fp32 weight (embeddings included, which are looked up, not cast).
    assert copies <= states["autocastCopies"] <= 1.6 * copies + 2 * VOCAB * HIDDEN


def test_layers_scale_as_estimated() -> None:
    """Per layer, not only in total: 4 more layers add what the estimate says 4 layers cost."""
    measured = [saved_for_backward(build("llama", n, torch.bfloat16, True), True)[0] for n in (2, 6)]
    size = {n: ModelSize.of(build("llama", n, torch.bfloat16, True).config, 10**6, 10**3, frozen_bytes=2)
            for n in (2, 6)}
    estimated = [activation_terms(size[n], TOKENS, BATCH, half=True, checkpointing=False)["activations"]
                 for n in (2, 6)]
    assert 0.95 <= (estimated[1] - estimated[0]) / (measured[1] - measured[0]) <= 1.3
