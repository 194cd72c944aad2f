"""Builds a .swl graph node by node, for routes that make their own graph."""

from typing import Dict, List, Optional

import numpy as np


class GraphBuilder:
    def __init__(self):
        self.nodes: List[dict] = []
        self.tensors: Dict[str, np.ndarray] = {}
        self.names = set()

    def const(self, name: str, arr) -> str:
        arr = np.asarray(arr)
        assert name not in self.tensors, name
        self.tensors[name] = np.array(arr, order="C")  # (ascontiguousarray would turn scalars 1-D)
        return name

    def op(self, op: str, inputs: List[str], name: str, attrs: Optional[dict] = None, n_out: int = 1):
        """Adds a node; its outputs are named `<name>_output_<i>`. Returns the output name(s)."""
        assert name not in self.names, name
        self.names.add(name)
        outs = [f"{name}_output_{i}" for i in range(n_out)]
        self.nodes.append({"name": name, "op": op, "inputs": inputs, "outputs": outs, "attrs": attrs or {}})
        return outs[0] if n_out == 1 else outs
