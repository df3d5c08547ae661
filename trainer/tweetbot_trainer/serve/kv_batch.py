"""The batch's KV cache as rows that come and go: sequences join (left-padded to the batch's length), finished
ones leave, and columns that only padding uses any more are dropped. Works on transformers' DynamicCache layers."""

from __future__ import annotations

from typing import Any

import torch


def _layers(cache: Any) -> list[Any]:
    return list(cache.layers)


def length(cache: Any) -> int:
    return int(_layers(cache)[0].keys.shape[-2])


def repeat_rows(cache: Any, times: int) -> None:
    """n choices of one prompt: the prompt's cache row repeated."""
    if times > 1:
        for layer in _layers(cache):
            layer.keys = layer.keys.repeat_interleave(times, dim=0)
            layer.values = layer.values.repeat_interleave(times, dim=0)


def keep_rows(cache: Any, rows: torch.Tensor) -> None:
    for layer in _layers(cache):
        layer.keys = layer.keys.index_select(0, rows)
        layer.values = layer.values.index_select(0, rows)


def drop_columns(cache: Any, count: int) -> None:
    """Removes the first `count` positions (padding of every row)."""
    if count > 0:
        for layer in _layers(cache):
            layer.keys = layer.keys[..., count:, :].contiguous()
            layer.values = layer.values[..., count:, :].contiguous()


def _pad_left(tensor: torch.Tensor, count: int) -> torch.Tensor:
    if count <= 0:
        return tensor
    pad = tensor.new_zeros((*tensor.shape[:-2], count, tensor.shape[-1]))
    return torch.cat([pad, tensor], dim=-2)


def append_rows(cache: Any, mask: torch.Tensor, new_cache: Any, new_mask: torch.Tensor) -> torch.Tensor:
    """Adds `new_cache`'s rows below `cache`'s (in place), left-padding the shorter side; returns the joint
    attention mask (0 over padding)."""
    old_len, new_len = length(cache), length(new_cache)
    width = max(old_len, new_len)
    for layer, new_layer in zip(_layers(cache), _layers(new_cache), strict=True):
        layer.keys = torch.cat([_pad_left(layer.keys, width - old_len), _pad_left(new_layer.keys, width - new_len)])
        layer.values = torch.cat(
            [_pad_left(layer.values, width - old_len), _pad_left(new_layer.values, width - new_len)])
    return torch.cat([_pad_mask(mask, width), _pad_mask(new_mask, width)])


def _pad_mask(mask: torch.Tensor, width: int) -> torch.Tensor:
    missing = width - mask.shape[1]
    return torch.cat([mask.new_zeros((mask.shape[0], missing)), mask], dim=1) if missing > 0 else mask


def unused_columns(mask: torch.Tensor) -> int:
    """How many leading positions no row attends to."""
    used = mask.any(dim=0).nonzero()
    return int(used[0]) if used.numel() else int(mask.shape[1])
