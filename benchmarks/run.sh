#!/usr/bin/env bash
# Load runs of the platform with Gatling (see docs/performance.md).
#
#   benchmarks/run.sh [single|batch|all]        (default: all)
#
# Builds the platform jar and the benchmarks module, starts the platform on a fresh database
# clinical_bench_<timestamp> (HTTP on 127.0.0.1 only), creates a tenant, a facility and a pool of patients with
# an open AMB encounter each, then for each simulation runs a short warm-up and the measured run, and prints a
# summary (requests/s, p50/p95/p99, errors, observations/s for batches, CPU split between the processes).
# The platform is stopped and the database dropped on exit, whatever happens.
#
# Environment overrides (defaults in brackets):
#   DURATION [60]         measured seconds per simulation     WARMUP [60]       warm-up seconds (0: none)
#   USERS [16]            concurrent clients, single          BATCH_USERS [4]   concurrent clients, batches
#   BATCH_SIZE [500]      observations per batch request       PATIENTS [200]    patients (and encounters) in the pool
#   BENCH_PORT [18090]    platform HTTP port                   TENANT [bench]    tenant id
#   PG_HOST [127.0.0.1]   PG_PORT [5432]   PG_USER [postgres]  PostgreSQL (trust auth)
#   PLATFORM_XMX [2g]     platform heap                        STARTUP_TIMEOUT [180] seconds to wait for health
#   SKIP_BUILD [0]        1: reuse platform/target/clinical-platform.jar and the compiled simulations
#   KEEP_DB [0]           1: keep the bench database at the end
#   WAIT_QUIET [0]        seconds to wait, before each simulation, for the machine to be quiet (< 25 % busy, the
#                         idle platform included): on a shared machine other builds skew the figures
#   PROFILE [0]           1: a JFR recording of the platform during each measured run, summarised by subsystem
#                         (costs a few % of throughput: do not mix profiled and reported figures)
set -euo pipefail

MODE=${1:-all}
case "$MODE" in
    single | batch | all) ;;
    *) echo "usage: $0 [single|batch|all]" >&2; exit 2 ;;
esac

cd "$(dirname "$0")/.."
ROOT=$(pwd)
if [ -z "${CLINICAL_JAVA_HOME:-}" ]; then
    . bin/jdk.sh
fi

DURATION=${DURATION:-60}
WARMUP=${WARMUP:-60}
USERS=${USERS:-16}
BATCH_USERS=${BATCH_USERS:-4}
BATCH_SIZE=${BATCH_SIZE:-500}
PATIENTS=${PATIENTS:-200}
BENCH_PORT=${BENCH_PORT:-18090}
TENANT=${TENANT:-bench}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
PLATFORM_XMX=${PLATFORM_XMX:-2g}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-180}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_DB=${KEEP_DB:-0}
WAIT_QUIET=${WAIT_QUIET:-0}
PROFILE=${PROFILE:-0}
# A fixed secret for bench runs only (HS256, >= 32 bytes); the platform is reachable on the loopback only.
BENCH_JWT_SECRET=${BENCH_JWT_SECRET:-clinical-bench-only-hs256-secret-0123456789abcdef}

STAMP=$(date -u +%Y%m%d%H%M%S)
DB_NAME=clinical_bench_${STAMP}
BASE_URL=http://127.0.0.1:${BENCH_PORT}
OUT=$ROOT/benchmarks/target/bench-$STAMP
IDS_FILE=$OUT/pool.csv
SUMMARY=$OUT/summary.txt
mkdir -p "$OUT" "$ROOT/benchmarks/target/gatling"

log() { echo "[bench $(date -u +%H:%M:%S)] $*"; }

PLATFORM_PID=""
GATLING_PID=""
SAMPLER_PID=""
TOP_PID=""
RUN_DIR=""
cleanup() {
    local status=$?
    set +e
    for pid in "$GATLING_PID" "$SAMPLER_PID" "$TOP_PID"; do
        # (GATLING_PID is `timeout`: it runs Maven and Gatling in their own process group and passes a TERM on)
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
        fi
    done
    if [ -n "$PLATFORM_PID" ] && kill -0 "$PLATFORM_PID" 2>/dev/null; then
        log "stopping the platform (pid $PLATFORM_PID)"
        kill "$PLATFORM_PID" 2>/dev/null
        for _ in $(seq 1 60); do
            kill -0 "$PLATFORM_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$PLATFORM_PID" 2>/dev/null; then
            log "the platform did not stop within 30 s: SIGKILL"
            kill -9 "$PLATFORM_PID" 2>/dev/null
        fi
        wait "$PLATFORM_PID" 2>/dev/null
    fi
    if [ "$KEEP_DB" = 1 ]; then
        log "keeping database $DB_NAME"
    else
        psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAt \
            -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 \
            && log "dropped database $DB_NAME" || log "could not drop database $DB_NAME"
    fi
    log "outputs in ${OUT#"$ROOT"/}"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------------- build
if [ "$SKIP_BUILD" != 1 ]; then
    log "building the platform jar"
    mvn -B -q -DskipTests install -pl platform -am
    log "compiling the simulations"
    mvn -B -q test-compile -pl benchmarks
fi
[ -f platform/target/clinical-platform.jar ] || { echo "no platform/target/clinical-platform.jar: run without SKIP_BUILD=1" >&2; exit 1; }
# A private copy: a build running beside the bench may replace platform/target's jar under the running JVM.
JAR=$OUT/clinical-platform.jar
cp platform/target/clinical-platform.jar "$JAR"

# ------------------------------------------------------------------------------------------------- start
# The platform, PostgreSQL and Gatling share the machine's cores: anything else running skews the figures.
IDLE_BUSY=$(python3 benchmarks/bench.py busy 3)
log "machine busy before the run: $IDLE_BUSY % of $(nproc) cores"
if python3 -c "import sys; sys.exit(0 if float('$IDLE_BUSY') > 20 else 1)"; then
    log "WARNING: something else is using the CPU; the figures will be lower than on a quiet machine:"
    ps -eo pid,pcpu,args --sort=-pcpu | head -6 | cut -c1-160
fi
if curl -s -o /dev/null --max-time 2 "$BASE_URL/actuator/health"; then
    echo "port $BENCH_PORT already answers: stop what runs there or set BENCH_PORT" >&2
    exit 1
fi
log "starting the platform on port $BENCH_PORT, database $DB_NAME, JVM $CLINICAL_JAVA_HOME, -Xmx$PLATFORM_XMX"
SERVER_PORT=$BENCH_PORT \
SERVER_ADDRESS=127.0.0.1 \
CLINICAL_DB_URL="jdbc:postgresql://$PG_HOST:$PG_PORT/$DB_NAME" \
CLINICAL_DB_USER=$PG_USER \
CLINICAL_JWT_SECRET=$BENCH_JWT_SECRET \
CLINICAL_KAFKA_EMBEDDED_PORT=0 \
AXONIQ_UPDATE_CHECKER_DISABLED=true \
    "$CLINICAL_JAVA_HOME/bin/java" -Xmx"$PLATFORM_XMX" -Daxoniq.update-checker.disabled=true \
    -jar "$JAR" >"$OUT/platform.log" 2>&1 &
PLATFORM_PID=$!

deadline=$((SECONDS + STARTUP_TIMEOUT))
until curl -s --max-time 2 "$BASE_URL/actuator/health" 2>/dev/null | grep -q '"status":"UP"'; do
    if ! kill -0 "$PLATFORM_PID" 2>/dev/null; then
        echo "the platform exited during start-up; the end of its log:" >&2
        tail -40 "$OUT/platform.log" >&2
        exit 1
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        echo "the platform was not healthy within $STARTUP_TIMEOUT s; the end of its log:" >&2
        tail -40 "$OUT/platform.log" >&2
        exit 1
    fi
    sleep 1
done
log "platform healthy (pid $PLATFORM_PID)"

# ------------------------------------------------------------------------------------------------- data
log "creating tenant $TENANT, a facility and $PATIENTS patients with an open AMB encounter"
timeout 600 python3 benchmarks/bench.py setup "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" "$PATIENTS" "$IDS_FILE"

# ------------------------------------------------------------------------------------------------- runs
# run_gatling CLASS LABEL SECONDS USERS MEASURED: runs one simulation; sets RUN_DIR to its result folder.
# (Not called in a subshell, so that a signal's trap runs at once and sees every process to stop.)
run_gatling() {
    local class=$1 label=$2 seconds=$3 users=$4 measured=$5
    local marker=$OUT/.start-$label run_dir="" status
    RUN_DIR=""
    touch "$marker"
    log "gatling $class ($label): ${seconds} s, $users users"
    timeout $((seconds + 300)) mvn -B -q -pl benchmarks test-compile gatling:test \
        -Dgatling.simulationClass="org.clinical.benchmarks.$class" \
        -Dgatling.runDescription="$label" \
        -Dbench.baseUrl="$BASE_URL" -Dbench.tenant="$TENANT" -Dbench.jwtSecret="$BENCH_JWT_SECRET" \
        -Dbench.durationSeconds="$seconds" -Dbench.users="$users" -Dbench.batchSize="$BATCH_SIZE" \
        -Dbench.idsFile="$IDS_FILE" -Dbench.label=" ($label)" \
        >"$OUT/gatling-$label.log" 2>&1 &
    GATLING_PID=$!
    if [ "$measured" = 1 ]; then
        # The CPU split is sampled from the moment Gatling opens its results folder (the load starts) on.
        local deadline=$((SECONDS + 120))
        while [ -z "$run_dir" ] && kill -0 "$GATLING_PID" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do
            run_dir=$(find benchmarks/target/gatling -mindepth 1 -maxdepth 1 -type d -newer "$marker" | head -1)
            sleep 0.5
        done
        if [ -n "$run_dir" ]; then
            python3 benchmarks/bench.py cpu "$PLATFORM_PID" "$GATLING_PID" "$OUT/cpu-$label.json" "$seconds" "$DB_NAME" >/dev/null 2>&1 &
            SAMPLER_PID=$!
            if [ "$PROFILE" = 1 ]; then
                "$CLINICAL_JAVA_HOME/bin/jcmd" "$PLATFORM_PID" JFR.start name="bench-$label" settings=profile \
                    duration="${seconds}s" filename="$OUT/platform-$label.jfr" >/dev/null 2>&1 \
                    || log "could not start a JFR recording"
            fi
            (sleep $((seconds / 2)) && top -b -c -w 180 -n 2 -d 2 | awk '/^top -/{n++} n==2' | head -22 \
                >"$OUT/top-$label.txt") >/dev/null 2>&1 &
            TOP_PID=$!
        fi
    fi
    status=0
    wait "$GATLING_PID" || status=$?
    GATLING_PID=""
    for pid in "$SAMPLER_PID" "$TOP_PID"; do
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid" 2>/dev/null || true; fi
        if [ -n "$pid" ]; then wait "$pid" 2>/dev/null || true; fi
    done
    SAMPLER_PID=""
    TOP_PID=""
    if [ "$status" -ne 0 ]; then
        echo "gatling $class ($label) failed ($status); the end of its log:" >&2
        tail -30 "$OUT/gatling-$label.log" >&2
        return 1
    fi
    run_dir=$(find benchmarks/target/gatling -mindepth 1 -maxdepth 1 -type d -newer "$marker" | sort | tail -1)
    [ -n "$run_dir" ] && [ -f "$run_dir/index.html" ] || { echo "no Gatling report for $label" >&2; return 1; }
    RUN_DIR=$run_dir
}

# wait_quiet: waits (at most WAIT_QUIET s) until the machine is less than 25 % busy.
wait_quiet() {
    [ "$WAIT_QUIET" -gt 0 ] || return 0
    local deadline=$((SECONDS + WAIT_QUIET)) busy
    while :; do
        busy=$(python3 benchmarks/bench.py busy 3)
        if python3 -c "import sys; sys.exit(0 if float('$busy') < 25 else 1)"; then
            log "machine quiet enough: $busy % busy"
            return 0
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            log "WARNING: the machine is still $busy % busy after ${WAIT_QUIET} s; running anyway"
            return 0
        fi
        log "machine $busy % busy (other processes), waiting"
        sleep 5
    done
}

# simulate NAME CLASS USERS BATCH: warm-up (not reported) then the measured run, whose summary is printed.
simulate() {
    local name=$1 class=$2 users=$3 batch=$4
    wait_quiet
    if [ "$WARMUP" -gt 0 ]; then
        run_gatling "$class" "$name-warm-up" "$WARMUP" "$users" 0
        log "warm-up done: $(python3 benchmarks/bench.py summary "$batch" "$OUT/gatling-$name-warm-up.log" \
            | grep -E 'requests/s|p99' | xargs)"
    fi
    run_gatling "$class" "$name" "$DURATION" "$users" 1
    {
        echo "== $name: $class, $users concurrent users, ${DURATION} s$([ "$batch" -gt 1 ] && echo ", batches of $batch")"
        python3 benchmarks/bench.py summary "$batch" "$OUT/gatling-$name.log" "$OUT/cpu-$name.json"
        echo "  report          ${RUN_DIR#"$ROOT"/}/index.html"
        if [ "$PROFILE" = 1 ]; then
            local deadline=$((SECONDS + 30))
            while [ ! -s "$OUT/platform-$name.jfr" ] && [ "$SECONDS" -lt "$deadline" ]; do sleep 1; done
            if [ -s "$OUT/platform-$name.jfr" ]; then
                "$CLINICAL_JAVA_HOME/bin/java" benchmarks/src/test/java/org/clinical/benchmarks/JfrSummary.java \
                    "$OUT/platform-$name.jfr" || log "could not read the JFR recording" >&2
            fi
        fi
    } >>"$SUMMARY"
}

if [ "$MODE" = single ] || [ "$MODE" = all ]; then
    simulate single SingleObservationSimulation "$USERS" 1
fi
if [ "$MODE" = batch ] || [ "$MODE" = all ]; then
    simulate batch ObservationBatchSimulation "$BATCH_USERS" "$BATCH_SIZE"
fi

echo
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . ':!benchmarks' 2>/dev/null)" ]; then COMMIT="$COMMIT + uncommitted changes"; fi
echo "Summary ($(nproc) cores, machine $IDLE_BUSY % busy before the run, platform -Xmx$PLATFORM_XMX," \
    "pool of $PATIENTS patients, code $COMMIT, $(date -u +%FT%TZ))"
cat "$SUMMARY"
