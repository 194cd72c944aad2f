"""torch -> ONNX exporters of the reference models that the converter's --onnx routes are
tested on (setup steps, not converter code: tools/setup.sh does not reconvert every model when
these change)."""
