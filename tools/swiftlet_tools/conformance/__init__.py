"""The ONNX backend node tests run through the converter and `swiftlet run` (tools/onnx_conformance.py)."""
