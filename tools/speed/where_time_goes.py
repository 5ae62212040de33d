#!/usr/bin/env python3
"""Where the wall time of a `glidn bench` step goes, from a perf recording of both threads.

    perf record -F 20000 -g -o /tmp/bench.perf .build/release/glidn bench --workload cad120 --steps 1500
    perf script -i /tmp/bench.perf -F tid,time,ip,sym,dso > /tmp/bench.txt
    python3 tools/speed/where_time_goes.py /tmp/bench.txt [--ms-per-step 3.0]

(`tools/speed/where_time_goes.sh WORKLOAD` runs all three.) With two threads, every sample of
the helper thread is either work (a chunk of a parallel pass) or waiting for work in
`WorkerPool.helpers`: the waiting samples are the wall time in which the main thread works
alone. The script splits each thread's samples into
  products   matrix products (oneDNN's just-in-time kernels, or a BLAS library's own code),
  attention  the graph attention kernel's per-graph passes,
  waiting    the pool's spin (helper) or the main thread waiting for the helper's chunk,
  memory     allocation and reference counting,
  other      everything else (the other ops, losses, the update, the tape),
and lists what the main thread was doing while the helper waited (samples of both threads
within 0.1 ms of each other). Percentages are of each thread's samples, so of the wall time;
with --ms-per-step they are also given in milliseconds of a step.
"""
import bisect
import collections
import re
import subprocess
import sys

MEMORY = ("malloc", "_int_malloc", "_int_free", "free", "cfree", "unlink_chunk", "malloc_consolidate",
          "swift_retain", "swift_release", "swift_allocObject", "swift_deallocClassInstance",
          "_swift_release_dealloc", "swift_arrayDestroy", "swift_bridgeObject")


def read(path):
    """Samples as (tid, time, [(symbol, dso), ...] leaf first)."""
    samples, current = [], None
    for line in open(path, errors="replace"):
        if not line.strip():
            if current:
                samples.append(current)
            current = None
        elif re.match(r"\s*\d+\s+[\d.]+:", line):  # a sample's "tid time:" line
            fields = line.split()
            current = (fields[0], float(fields[1].rstrip(":")), [])
        elif current is not None:
            match = re.match(r"\s*[0-9a-f]+\s+(.*?)\s+\((.*)\)\s*$", line)
            if match:
                current[2].append((match.group(1), match.group(2)))
    if current:
        samples.append(current)
    return samples


def waiting_for_work(sample):
    """The helper spinning in the pool, with nothing to do."""
    return bool(sample[2]) and "helpers" in sample[2][0][0]


def share(count, total, ms):
    """A count of samples as a share of the wall time, and of a step's milliseconds if known."""
    text = f"{100 * count / total:5.1f} %"
    return text + (f"  {ms * count / total:6.3f} ms" if ms else "")


def kind(frames):
    if not frames:
        return "other"
    symbol, dso = frames[0]
    if "WorkerPool" in symbol and ("helpers" in symbol or "run6chunks" in symbol):
        return "waiting"
    if "libdnnl" in dso or "blas" in dso.lower() or "JIT" in dso or (symbol == "[unknown]" and "glidn" not in dso):
        return "products"
    if "GraphAttentionKernel" in symbol:
        return "attention"
    if symbol.startswith(MEMORY) or "RefCounts" in symbol:
        return "memory"
    return "other"


def demangled(symbols):
    """Readable names of Swift symbols (`swift demangle`), or the symbols as they are."""
    symbols = sorted(set(symbols))
    try:
        text = subprocess.run(["swift", "demangle", "--simplified", "--compact"], input="\n".join(symbols),
                              capture_output=True, text=True, check=True).stdout.split("\n")
    except (OSError, subprocess.CalledProcessError):
        text = symbols
    # "closure #1 in closure #2 in Tensor.maskedMean(...)" is Tensor.maskedMean's work.
    plain = [re.sub(r"^(partial apply for )?((implicit )?closure #\d+ in )*(static )?", "", t or s) for s, t in zip(symbols, text)]
    return {s: p[:90] for s, p in zip(symbols, plain)}


def main():
    args = sys.argv[1:]
    ms = None
    if "--ms-per-step" in args:
        at = args.index("--ms-per-step")
        ms = float(args[at + 1])
        del args[at:at + 2]
    samples = read(args[0])
    by_thread = collections.defaultdict(list)
    for s in samples:
        by_thread[s[0]].append(s)
    threads = sorted(by_thread, key=lambda t: -len(by_thread[t]))[:2]
    spins = {t: sum(1 for s in by_thread[t] if waiting_for_work(s)) for t in threads}
    helper = max(threads, key=lambda t: spins[t])
    main_thread = [t for t in threads if t != helper][0] if len(threads) > 1 else helper

    for name, tid in (("main thread", main_thread), ("helper thread", helper)):
        kinds = collections.Counter(kind(s[2]) for s in by_thread[tid])
        total = sum(kinds.values())
        print(f"{name} ({total} samples)")
        for label in ("products", "attention", "waiting", "memory", "other"):
            print(f"  {label:10} {share(kinds[label], total, ms)}")
    # What the main thread does while the helper waits.
    main_samples = by_thread[main_thread]
    times = [s[1] for s in main_samples]
    helper_total = len(by_thread[helper])
    alone = collections.Counter()  # by kind, and by symbol for "other"
    for s in by_thread[helper]:
        if not waiting_for_work(s):
            continue
        i = bisect.bisect_left(times, s[1])
        near = [j for j in (i - 1, i) if 0 <= j < len(times) and abs(times[j] - s[1]) < 1e-4]
        if not near:
            continue
        frames = main_samples[min(near, key=lambda j: abs(times[j] - s[1]))][2]
        k = kind(frames)
        alone[(k, frames[0][0] if k == "other" and frames else None)] += 1
    names = demangled(symbol for _, symbol in alone if symbol)
    merged = collections.Counter()
    for (k, symbol), count in alone.items():
        merged[f"{k}: {names[symbol]}" if symbol else k] += count
    print("while the helper waits, the main thread runs (share of the wall time):")
    for label, count in merged.most_common(16):
        print(f"  {share(count, helper_total, ms)}  {label}")

if __name__ == "__main__":
    main()
