#!/usr/bin/env bash
# The test suite under load: `make test` RUNS times in a row (default 3) while HOGS processes
# (default 2) keep the CPUs busy, as on a shared machine. Prints passed/failed/errors of each
# run and the total; exits non-zero if any run had a failure.
#
#   make stress                                     # the whole suite, 3 runs, 2 CPU hogs
#   make stress TESTS="tests/tooling/test_preview.py" # some tests only (TESTS of `make test`)
#   RUNS=1 HOGS=4 make stress                       # other counts
#
# Each run's output is in _build/stress/run-N.log.
set -uo pipefail

RUNS=${RUNS:-3}
HOGS=${HOGS:-2}
MAKE=${MAKE:-make}
LOGS=_build/stress
mkdir -p "$LOGS"

hogs=()
stop_hogs() {
    if ((${#hogs[@]})); then
        kill "${hogs[@]}" 2>/dev/null
        wait "${hogs[@]}" 2>/dev/null
    fi
    hogs=()
}
trap stop_hogs EXIT
trap 'stop_hogs; exit 130' INT
trap 'stop_hogs; exit 143' TERM

for _ in $(seq "$HOGS"); do
    python3 -c 'while True: pass' &
    hogs+=($!)
done
echo "stress: $HOGS CPU hogs running (pids ${hogs[*]}); $RUNS run(s) of make test${TESTS:+ (TESTS=$TESTS)}"

total_passed=0 total_failed=0 total_errors=0 bad_runs=0
summary=()
for run in $(seq "$RUNS"); do
    log="$LOGS/run-$run.log"
    start=$(date +%s)
    echo "stress: run $run of $RUNS (load average $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)) -> $log"
    $MAKE --no-print-directory test >"$log" 2>&1
    rc=$?
    seconds=$(($(date +%s) - start))
    # pytest's last line: "==== 2 failed, 956 passed, 1 skipped in 312.00s ====".
    last=$(grep -E '^=+ .* in [0-9.]+s' "$log" | tail -1)
    passed=$(grep -oE '[0-9]+ passed' <<<"$last" | grep -oE '[0-9]+' || true)
    failed=$(grep -oE '[0-9]+ failed' <<<"$last" | grep -oE '[0-9]+' || true)
    errors=$(grep -oE '[0-9]+ errors?' <<<"$last" | grep -oE '[0-9]+' || true)
    passed=${passed:-0} failed=${failed:-0} errors=${errors:-0}
    line="run $run: $passed passed, $failed failed, $errors errors in ${seconds} s (make exit $rc)"
    if [[ -z $last ]]; then
        line="run $run: make test stopped before pytest reported (exit $rc, ${seconds} s); see $log"
    fi
    echo "stress: $line"
    grep -E '^(FAILED|ERROR) ' "$log" | sed 's/^/    /'
    summary+=("$line")
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_errors=$((total_errors + errors))
    if ((rc != 0 || failed + errors > 0)) || [[ -z $last ]]; then
        bad_runs=$((bad_runs + 1))
    fi
done
stop_hogs

echo
echo "stress: $RUNS run(s) of make test under $HOGS CPU hogs${TESTS:+ (TESTS=$TESTS)}:"
printf '  %s\n' "${summary[@]}"
echo "  total: $total_passed passed, $total_failed failed, $total_errors errors; $bad_runs run(s) with failures"
((bad_runs == 0))
