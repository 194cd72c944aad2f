"""The ONNX onnxruntime times against splade-tiny.swl (tools/bench_families.py): the same
BertForMaskedLM with SPLADE's pooling inside the graph, as the converter builds it into the
.swl, so both engines compute text -> vocabulary-sized vector. Exported once, beside the
checkpoint (models/src/splade-tiny/bench/splade-pooled.onnx)."""
import os


def pooled_export(model_dir, opset=14):
    out = os.path.join(model_dir, "bench", "splade-pooled.onnx")
    weights = os.path.join(model_dir, "model.safetensors")
    if os.path.isfile(out) and os.path.getmtime(out) >= os.path.getmtime(weights):
        return out
    import torch
    from transformers import BertForMaskedLM

    class Pooled(torch.nn.Module):
        def __init__(self, mlm):
            super().__init__()
            self.mlm = mlm

        def forward(self, input_ids, attention_mask, token_type_ids):
            logits = self.mlm(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits
            act = torch.log1p(torch.relu(logits)) * attention_mask.unsqueeze(-1).to(logits.dtype)
            return act.max(dim=1).values

    model = Pooled(BertForMaskedLM.from_pretrained(model_dir, attn_implementation="eager").eval())
    ids = torch.ones((2, 16), dtype=torch.int64)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    tmp = out + ".tmp"
    with torch.no_grad():
        torch.onnx.export(model, (ids, torch.ones_like(ids), torch.zeros_like(ids)), tmp,
                          input_names=["input_ids", "attention_mask", "token_type_ids"], output_names=["sparse"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "attention_mask": {0: "batch", 1: "seq"},
                                        "token_type_ids": {0: "batch", 1: "seq"}, "sparse": {0: "batch"}},
                          opset_version=opset, dynamo=False)
    os.replace(tmp, out)
    return out
