#!/usr/bin/env python3
"""Fault injection for a run's files (README, "Reliability"; `make faults`, not CI).

    tools/faults/run.py [--glidn .build/release/glidn] [--interruptions 100] [--flips 200] [--disk-fulls 10]

1. Interruptions: trains the same small synthetic run again and again into a fresh folder,
   each time killed at a random moment (SIGKILL, SIGINT, SIGTERM or SIGHUP, some followed by a
   second Ctrl-C at once, 0.05-1.5 s after start,
   so that some land in data loading, some in a step; every third as soon as a temporary
   file appears, so that it lands in a write) and resumed with
   `--resume` until it ends; the final weights are compared with an uninterrupted run's.
   Counts interruptions survived (the next command resumed without an error), runs
   bit-identical, and files left behind (temporary files, in the finished folders).
2. Bit flips: one random bit of a random checkpoint's tensor data (best, an epoch file, the
   resume file) flipped; `evaluate` (or `train --resume`) must refuse the file as damaged.
3. A full disk at a random moment: the run writes into a small tmpfs (needs root to mount;
   skipped otherwise) that a filler file fills while it trains; the run must stop with an
   error, every file it had written must still read and verify, and after the filler is gone
   `--resume` must finish with the uninterrupted run's weights.

Prints one line per part and a summary; exit status 1 if any goal is missed.
"""
import argparse
import os
import random
import shutil
import signal
import struct
import subprocess
import sys
import tempfile
import time

RUN = ["--epochs", "4", "--train-clips", "2000", "--validation-clips", "32", "--test-clips", "16",
       "--batch-size", "8", "--hidden", "16", "--heads", "2", "--seed", "3"]
SIGNALS = [signal.SIGKILL, signal.SIGINT, signal.SIGTERM, signal.SIGHUP]


def tensors(path):
    """name -> raw bytes of each tensor of a safetensors file (no checksum check: plain bytes)."""
    import json
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    return {k: data[8 + n + v["data_offsets"][0]:8 + n + v["data_offsets"][1]]
            for k, v in header.items() if k != "__metadata__"}, 8 + n


def same_weights(a, b):
    return tensors(a)[0] == tensors(b)[0]


def leftovers(folder, pid=None):
    """Temporary files in `folder` (of process `pid` only, if given)."""
    return [n for n in os.listdir(folder) if "partial" in n and (pid is None or "-%d-" % pid in n)]


def train(glidn, folder, resume, timeout=None):
    args = [glidn, "train", "--output", folder] + (["--resume"] if resume else RUN)
    return subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def interruptions(glidn, reference, work, goal, rng):
    done = failures = identical = runs = during_write = doubled = 0
    left = []
    kinds = {s.name: 0 for s in SIGNALS}
    while done < goal:
        folder = os.path.join(work, "run-%d" % runs)
        runs += 1
        resume = False
        while True:
            p = train(glidn, folder, resume)
            if done < goal:
                if done % 3 == 2:  # aim at a write: wait for a temporary file to appear
                    deadline = time.time() + 3
                    while time.time() < deadline and p.poll() is None and not (
                            os.path.isdir(folder) and leftovers(folder, p.pid)):
                        pass
                else:
                    time.sleep(rng.uniform(0.05, 1.5))
                sig = rng.choice(SIGNALS)
                if p.poll() is None:
                    writing = os.path.isdir(folder) and leftovers(folder, p.pid)
                    p.send_signal(sig)
                    during_write += bool(writing)
                    if sig != signal.SIGKILL and rng.random() < 0.2:  # a second one: stop at once
                        time.sleep(rng.uniform(0, 0.05))
                        if p.poll() is None:
                            p.send_signal(signal.SIGINT)
                            doubled += 1
                    done += 1
                    kinds[sig.name] += 1
            _, err = p.communicate()
            status = p.returncode
            if status == 0:
                break
            if status not in (-signal.SIGKILL, 129, 130, 143):
                log = folder + ".failure.txt"
                with open(log, "wb") as f:
                    f.write(err)
                print("  run %s: exit %s (its standard error: %s): %s" % (folder, status, log, err.decode()[:300].strip()))
                failures += 1
                break
            resume = os.path.exists(os.path.join(folder, "resume.safetensors"))
        if os.path.exists(os.path.join(folder, "epoch-004.safetensors")):
            identical += same_weights(os.path.join(reference, "epoch-004.safetensors"),
                                      os.path.join(folder, "epoch-004.safetensors")) and \
                same_weights(os.path.join(reference, "resume.safetensors"), os.path.join(folder, "resume.safetensors"))
        left += [os.path.join(folder, n) for n in leftovers(folder)]
    # A signal that lands after the last step (in the final validation or save) lets the run
    # finish with status 0, as it should: survived too.
    return dict(interruptions=done, survived=done - failures, during_write=during_write, doubled=doubled, runs=runs, identical=identical, left=left, signals=kinds)


def flips(glidn, reference, work, count, rng):
    detected = 0
    files = ["best.safetensors", "epoch-002.safetensors", "resume.safetensors"]
    for i in range(count):
        name = rng.choice(files)
        folder = os.path.join(work, "flip")
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(reference, folder)
        path = os.path.join(folder, name)
        data = bytearray(open(path, "rb").read())
        parts, start = tensors(path)
        size = sum(len(v) for v in parts.values())
        offset = start + rng.randrange(size)
        data[offset] ^= 1 << rng.randrange(8)
        open(path, "wb").write(data)
        if name == "resume.safetensors":
            r = subprocess.run([glidn, "train", "--resume", "--epochs", "5", "--output", folder],
                               capture_output=True)
        else:
            r = subprocess.run([glidn, "evaluate", "--checkpoint", path], capture_output=True)
        if r.returncode != 0 and b"is damaged" in r.stderr:
            detected += 1
        else:
            print("  not detected: %s byte %d: exit %d %s" % (name, offset, r.returncode, r.stderr.decode()[-300:]))
    return dict(flips=count, detected=detected)


def disk_fulls(glidn, reference, work, count, rng):
    mount = os.path.join(work, "small-disk")
    os.makedirs(mount, exist_ok=True)
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", mount], capture_output=True).returncode:
        return None
    episodes = stopped = intact = finished = identical = 0  # episodes: runs the full disk stopped
    left = []
    try:
        for i in range(count):
            folder = os.path.join(mount, "run")
            shutil.rmtree(folder, ignore_errors=True)
            filler = os.path.join(mount, "filler")
            p = train(glidn, folder, False)
            time.sleep(rng.uniform(0.2, 1.5))
            try:  # fill what is left (the last flush, at close, fails too)
                with open(filler, "wb") as f:
                    while True:
                        f.write(b"\0" * 65536)
                        f.flush()
            except OSError:
                pass
            _, err = p.communicate()
            if p.returncode == 0:
                os.remove(filler)
                continue  # the run had ended before the disk was full
            episodes += 1
            stopped += p.returncode == 1 and b"No space left" in err
            ok = True
            for n in os.listdir(folder):
                if n.endswith(".safetensors"):
                    r = subprocess.run([glidn, "evaluate", "--checkpoint", os.path.join(folder, n)],
                                       capture_output=True) if n != "resume.safetensors" else None
                    ok &= r is None or r.returncode == 0
            intact += ok
            os.remove(filler)
            resume = os.path.exists(os.path.join(folder, "resume.safetensors"))
            r = subprocess.run([glidn, "train", "--output", folder] + (["--resume"] if resume else ["--overwrite"] + RUN),
                               capture_output=True)
            finished += r.returncode == 0
            if r.returncode == 0:
                identical += same_weights(os.path.join(reference, "epoch-004.safetensors"),
                                          os.path.join(folder, "epoch-004.safetensors"))
            left += leftovers(folder)
    finally:
        subprocess.run(["umount", mount])
    return dict(episodes=episodes, stopped=stopped, intact=intact, finished=finished, identical=identical, left=left)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--glidn", default=".build/release/glidn")
    ap.add_argument("--interruptions", type=int, default=100)
    ap.add_argument("--flips", type=int, default=200)
    ap.add_argument("--disk-fulls", type=int, default=10)
    ap.add_argument("--seed", type=int, default=0)
    a = ap.parse_args()
    glidn = os.path.abspath(a.glidn)
    rng = random.Random(a.seed)
    work = tempfile.mkdtemp(prefix="glidn-faults-")
    reference = os.path.join(work, "reference")
    subprocess.run([glidn, "train", "--output", reference] + RUN, check=True, capture_output=True)
    failed = False

    i = interruptions(glidn, reference, work, a.interruptions, rng)
    print("interruptions: %d (%s; %d followed by a second Ctrl-C; %d while a file was being written) over %d runs; survived %d of %d; runs bit-identical to the uninterrupted one: %d of %d; files left behind: %d"
          % (i["interruptions"], ", ".join("%s %d" % kv for kv in i["signals"].items()), i["doubled"], i["during_write"], i["runs"], i["survived"],
             i["interruptions"], i["identical"], i["runs"], len(i["left"])))
    failed |= i["survived"] < i["interruptions"] or i["identical"] < i["runs"] or bool(i["left"])

    f = flips(glidn, reference, work, a.flips, rng)
    print("bit flips in tensor data: %d; detected %d" % (f["flips"], f["detected"]))
    failed |= f["detected"] < f["flips"]

    d = disk_fulls(glidn, reference, work, a.disk_fulls, rng) if a.disk_fulls else None
    if d is None:
        print("full disk: skipped (mounting a small tmpfs needs root)")
    else:
        print("full disk: %d episodes; stopped with 'No space left' %d; files written before it intact %d; resumed to the end %d; identical %d; files left behind %d"
              % (d["episodes"], d["stopped"], d["intact"], d["finished"], d["identical"], len(d["left"])))
        failed |= d["left"] != [] or d["identical"] < d["finished"] or d["finished"] < d["episodes"]
    if failed:
        print("the files are kept in %s" % work)
    else:
        shutil.rmtree(work, ignore_errors=True)
    print("faults: %s" % ("goals missed" if failed else "every goal met"))
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
