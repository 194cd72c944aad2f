"""Embeds a sentence and OCRs an image (tools/test-clients.sh runs it).
usage: SWIFTLET_LIB=.build/release/libswiftlet.so python example.py EMBEDDER.swl DET.swl REC.swl CLS.swl IMAGE"""
import sys

import swiftlet  # pip install the wheel (docs/INSTALL.md), or clients/python on PYTHONPATH

embedder, det, rec, cls, image = sys.argv[1:6]
with swiftlet.Embedder(embedder, threads=2) as e:
    vector = e.embed(["Swiftlet runs on the CPU"])[0]   # numpy float32 [384]
    print(f"embedding: {vector.size} floats, first {vector[0]:.4f}")
with swiftlet.OCR(det, rec, cls, threads=2) as ocr:
    for line in ocr.run(image).lines:                   # a path, PNG/JPEG bytes or a numpy image
        print(f"({line.box[0][0]:.0f}, {line.box[0][1]:.0f}) {line.text}  {line.score:.3f}")
