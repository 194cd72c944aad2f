"""Starts infinity-emb's CLI with torch's intra-op pool fixed to --threads, so the Python
server computes on as many threads as `swiftlet serve --threads` (tools/bench.py serve).

    VENV/bin/python infinity_server.py --threads 2 -- v2 --model-id DIR …   (infinity_emb's own options)
"""
import sys

if __name__ == "__main__":
    args = sys.argv[1:]
    if len(args) < 3 or args[0] != "--threads" or args[2] != "--":
        sys.exit("usage: infinity_server.py --threads N -- INFINITY_EMB_ARGS…")
    import torch
    torch.set_num_threads(int(args[1]))
    from infinity_emb.cli import cli
    sys.argv = ["infinity_emb"] + args[3:]
    cli()
