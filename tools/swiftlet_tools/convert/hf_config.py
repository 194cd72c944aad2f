"""A Hugging Face BERT-family config.json, checked and reduced to what the graph needs."""

from typing import NamedTuple

from .errors import ConvertError

SUPPORTED_MODEL_TYPES = ("bert", "roberta", "xlm-roberta", "camembert")


class EncoderConfig(NamedTuple):
    model_type: str
    hidden: int
    heads: int
    layers: int
    eps: float
    pad_id: int
    roberta_positions: bool  # positions padding_idx+1+cumsum (RoBERTa) instead of 0..L-1
    max_position_embeddings: int

    @property
    def head_dim(self) -> int:
        return self.hidden // self.heads

    @property
    def max_positions(self) -> int:
        """Tokens the position table can hold (RoBERTa spends padding_idx+1 rows)."""
        return self.max_position_embeddings - (self.pad_id + 1 if self.roberta_positions else 0)


def encoder_config(cfg: dict, cfg_path: str) -> EncoderConfig:
    model_type = cfg.get("model_type", "")
    if model_type not in SUPPORTED_MODEL_TYPES:
        raise ConvertError(f"{cfg_path}: model_type {model_type!r} is not supported "
                           f"(bert, roberta, xlm-roberta)")
    if cfg.get("position_embedding_type", "absolute") != "absolute":
        raise ConvertError(f"position_embedding_type {cfg['position_embedding_type']!r} is not supported")
    act = cfg.get("hidden_act", "gelu")
    if act not in ("gelu", "gelu_python"):
        raise ConvertError(f"hidden_act {act!r} is not supported (only exact gelu)")
    roberta_positions = model_type != "bert"
    H = int(cfg["hidden_size"]); heads = int(cfg["num_attention_heads"]); L = int(cfg["num_hidden_layers"])
    if H % heads:
        raise ConvertError(f"hidden_size {H} is not divisible by num_attention_heads {heads}")
    eps = float(cfg.get("layer_norm_eps", 1e-12))
    pad_id = int(cfg.get("pad_token_id", 1 if roberta_positions else 0) or 0)
    return EncoderConfig(model_type, H, heads, L, eps, pad_id, roberta_positions,
                         int(cfg.get("max_position_embeddings", 512)))
