#!/bin/sh
# Fuzzes every reader of outside files with libFuzzer and AddressSanitizer.
#
#   tools/fuzz/run.sh                 # every target, RUNS inputs each (default 1,000,000)
#   TARGETS="pickle npz" RUNS=100000 tools/fuzz/run.sh
#   SMOKE=5 tools/fuzz/run.sh          # a few seconds per target (what `make test` runs)
#   MAX_TIME=1800 tools/fuzz/run.sh    # RUNS inputs or MAX_TIME seconds per target, whichever first
#
# Builds `glidn-fuzz` with -sanitize=fuzzer,address into .build-fuzz, seeds each target's
# corpus from the repository's fixtures (and ../shared where present), and runs it with a
# 1 s limit per input and 2 GB of memory. A crash, a slow input or a memory blow-up stops the
# target and leaves the input in .build-fuzz/artifacts/TARGET/; replay it with
# `glidn-fuzz TARGET FILE` (a normal build) and add it to Tests/Fuzz/regressions/TARGET/.
# Prints one line per target: inputs run, and the problems found.
#
# Inputs are at most 64 KB, except for charades-csv: 8 KB (a CSV row is ~200 bytes; 64 KB
# inputs ran at ~180 per second and covered less than 8 KB inputs at ~2,500).
set -e
cd "$(dirname "$0")/../.."
RUNS=${RUNS:-1000000}
TARGETS=${TARGETS:-"safetensors pickle npy npz charades-csv submission cad120-raw cad120-lighten cad120-gt action-genome checkpoint-config reference video mot-csv class-names video-labels extraction-manifest detector-outputs"}
FIX=Tests/HOIDataTests/Fixtures
mkdir -p .build-fuzz
swift build -c release --product glidn-fuzz --scratch-path .build-fuzz \
  -Xswiftc -sanitize=fuzzer,address -Xswiftc -DFUZZING > .build-fuzz/build.log 2>&1 || { tail -20 .build-fuzz/build.log; exit 1; }
BIN=.build-fuzz/release/glidn-fuzz
seed() {  # target files…
  dir=.build-fuzz/corpus/$1; shift
  mkdir -p "$dir"
  for f in "$@"; do [ -f "$f" ] && cp "$f" "$dir/" || true; done
  [ -d "Tests/Fuzz/regressions/$(basename "$dir")" ] && cp Tests/Fuzz/regressions/"$(basename "$dir")"/* "$dir/" 2>/dev/null || true
}
status=0
for target in $TARGETS; do
  options="-max_len=65536"
  case $target in
    safetensors) seed $target Tests/GLIDNTests/Fixtures/*.safetensors Tests/GLIDNTests/Fixtures/reference/*.safetensors ;;
    pickle) seed $target $FIX/*.pkl $FIX/*.p ;;
    npy) seed $target $FIX/*.npy ;;
    npz) seed $target $FIX/*.npz $FIX/charades_features/*.npz ;;
    charades-csv) seed $target $FIX/charades_small.csv ../shared/data/charades/Charades_v1_test_200.csv
         options="-max_len=8192" ;;
    submission) seed $target tools/fuzz/seeds/submission/* ;;
    cad120-raw) seed $target tools/fuzz/seeds/cad120-raw/* ;;
    cad120-lighten) seed $target $FIX/lighten_bad_onehot_*.p ;;
    cad120-gt) seed $target $FIX/cad120_gt_*.pkl ;;
    action-genome) seed $target $FIX/person_bbox.pkl $FIX/object_bbox_and_relationship.pkl ;;
    checkpoint-config) seed $target tools/fuzz/seeds/checkpoint-config/* ;;
    reference) seed $target Tests/GLIDNTests/Fixtures/teacher_*.safetensors Tests/GLIDNTests/Fixtures/single_frame_video.safetensors ;;
    video) seed $target Tests/GLIDNVideoTests/Fixtures/tiny.* Tests/GLIDNVideoTests/Fixtures/size-change.ts ;;
    mot-csv) seed $target tools/fuzz/seeds/mot-csv/* ;;
    class-names) seed $target tools/video/synthetic_classes.txt ;;
    video-labels) seed $target tools/fuzz/seeds/video-labels/* ;;
    extraction-manifest) seed $target tools/fuzz/seeds/extraction-manifest/* ;;
    detector-outputs) seed $target tools/fuzz/seeds/detector-outputs/* ;;
    *) echo "unknown target $target"; exit 2 ;;
  esac
  mkdir -p .build-fuzz/artifacts/$target
  limit="-runs=$RUNS"
  [ -n "$MAX_TIME" ] && limit="$limit -max_total_time=$MAX_TIME"
  [ -n "$SMOKE" ] && limit="-max_total_time=$SMOKE"
  log=.build-fuzz/$target.log
  if GLIDN_FUZZ_TARGET=$target $BIN .build-fuzz/corpus/$target $limit -timeout=1 -rss_limit_mb=2048 $options \
       -artifact_prefix=.build-fuzz/artifacts/$target/ -print_final_stats=1 > "$log" 2>&1; then
    result="no crash"
  else
    result="FOUND A PROBLEM: $(grep -a -m1 -E 'ERROR|SUMMARY|deadly|timeout|out-of-memory' "$log")"
    status=1
  fi
  runs=$(grep -a -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')
  peak=$(grep -a -m1 'stat::peak_rss_mb' "$log" | awk '{print $2}')
  echo "$target: ${runs:-?} inputs, peak RSS ${peak:-?} MB: $result"
done
exit $status
