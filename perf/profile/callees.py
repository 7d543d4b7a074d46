#!/usr/bin/env python3
"""Reads `perf script -F comm,ip,sym` output (perf/profile/native.sh) and prints where the samples
went: by thread, then for each FRAME given (a substring of a symbol), the share of all samples
under it and, split by the frame it called, where that share went.

    python3 perf/profile/callees.py STACKS.txt [FRAME ...] [--top N]
"""
import collections
import sys


def read(path):
    samples, frames, thread = [], [], None
    for line in open(path, errors="replace"):
        if not line.strip():
            if frames:
                samples.append((thread, frames))
            frames = []
        elif not line.startswith("\t"):
            thread, frames = line.strip(), []
        else:
            frames.append(line.strip().split(" ", 1)[-1])
    if frames:
        samples.append((thread, frames))
    return samples


def main(argv):
    top = 12
    if "--top" in argv:
        at = argv.index("--top")
        top = int(argv[at + 1])
        argv = argv[:at] + argv[at + 2:]
    if len(argv) < 2:
        print(__doc__)
        return 2
    samples = read(argv[1])
    total = len(samples) or 1
    print(f"{len(samples)} samples")
    for thread, count in collections.Counter(t for t, _ in samples).most_common(8):
        print(f"  {count / total:6.1%}  thread {thread}")
    for frame in argv[2:]:
        callees, inside = collections.Counter(), 0
        for _, frames in samples:
            for i, symbol in enumerate(frames):  # leaf first
                if frame in symbol:
                    inside += 1
                    callees[frames[i - 1] if i > 0 else "(self)"] += 1
                    break
        print(f"{frame}: {inside / total:.1%} of all samples")
        for callee, count in callees.most_common(top):
            print(f"  {count / total:6.1%}  {callee[:150]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
