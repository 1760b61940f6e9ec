#!/usr/bin/env bash
# Load runs of the platform with Gatling (see docs/performance.md).
#
#   benchmarks/run.sh [single|batch|all]                      write side (default: all = single, batch)
#   benchmarks/run.sh summary|lag|search|stats|rebuild|reads  read side (reads = all five, in that order)
#   benchmarks/run.sh audit                                   the auditor's reads on a seeded store (issue 9)
#   benchmarks/run.sh kafka                                   the Kafka publisher (issue 10): commands without,
#                                                             with and again without it (KAFKA_ROUNDS times), its
#                                                             backlog throughput, its latency
#   benchmarks/run.sh chain                                   single commands with the events' hash chain (issue
#                                                             9) and without it, alternated CHAIN_ROUNDS times
#   benchmarks/run.sh targets                                 every target of issue 12 in one run, on one platform:
#                                                             single commands (16 clients over 20 patients, then
#                                                             on one patient), batches, the cached summary (16
#                                                             clients), the projection lag, a rebuild of every
#                                                             projection; then the table of targets, met or not
#   benchmarks/run.sh reference                               the PostgreSQL reference alone
#
# Every run first measures the reference of this machine, before the platform starts: PostgreSQL's raw commit
# rate with pgbench on a table shaped like the event store (benchmarks/reference/*.sql): single-row inserts with
# 1 and 16 clients, and 1,000-row inserts with BATCH_USERS clients. Every throughput is then also printed as a
# ratio to it (single-row rate with 16 clients for requests, the 1,000-row rate for batched observations), so
# figures from different machines compare.
#
# Read side: summary (cached patient summary, open workload at SUMMARY_RATE), lag (write then read with
# X-Min-Position at LAG_RATE), search (patient search on SEED_PATIENTS seeded patients at SEARCH_RATE), stats
# (observation statistics over SEED_OBSERVATIONS seeded observations, STATS_USERS analysts), rebuild (each of
# REBUILD_PROJECTIONS rebuilt on the seeded data, events/s). audit seeds SEED_PATIENTS (default 100 in this mode)
# patients and SEED_OBSERVATIONS (default 1,000,000) observations, so that a patient has about 10,000 events, then
# vacuums the database (what autovacuum does after a bulk load), then times one patient's history (first page,
# whole NDJSON stream, chart as of now), the tenant's whole stream as NDJSON and verify (bench.py audit,
# AUDIT_REPEATS runs each; the patient's three reads after AUDIT_WARMUP unmeasured runs, their first printed as cold;
# the stream and verify after one). search, stats and rebuild seed the tenant's event store with
# SQL (benchmarks/seed/*.sql, timed) and wait for the projections to catch up (timed) first.
#
# Builds the platform jar and the benchmarks module, starts the platform on a fresh database
# clinical_bench_<timestamp> (HTTP on 127.0.0.1 only), creates a tenant, a facility and a pool of patients with
# an open AMB encounter each, then for each simulation runs a short warm-up and the measured run, and prints a
# summary (requests/s, p50/p95/p99, errors, observations/s for batches, CPU split between the processes and each
# process's CPU per request, and per observation for batches).
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
#   MVN_OFFLINE [0]       1: Maven runs offline (-o)
# Read side (defaults in brackets):
#   SUMMARY_RATE [2000]   summary reads/s                      LAG_RATE [1000]   writes (and reads)/s, lag
#   SUMMARY_USERS [0]     summary: N > 0 for N clients each reading again at once (closed workload, as in targets)
#                         instead of SUMMARY_RATE arrivals/s
#   FLOOR [0; targets 1]  summary, targets: 1 runs the cached-summary load once more against a server that does no
#                         work (benchmarks/floor/FloorServer.java, answering one real summary's bytes): the rate
#                         this machine and load generator allow any server, and the load generator's CPU per read
#   LAG_BATCH [10]        observations per batch request of the lag and kafka-latency writers
#   KAFKA_WARMUP [240]    kafka: seconds of single commands (publisher running) before the runs with and without it
#   KAFKA_ROUNDS [1]      kafka: runs with the publisher, each followed by one without (after a first without)
#   CHAIN_WARMUP [240]    chain: seconds of single commands (chain on) before the runs with and without it
#   CHAIN_ROUNDS [3]      chain: runs with the chain, each followed by one without (after a first without)
#   SEARCH_RATE [100]     searches/s                           STATS_USERS [2]   concurrent analysts, stats
#   SEED_PATIENTS [100000] patients seeded by SQL (each with an open AMB encounter)
#   SEED_OBSERVATIONS [10000000] observations seeded by SQL (stats, rebuild)
#   SEED_CHUNK [500000]   events per seeding transaction       SEED_DAYS [365]   effectiveAt spread (days)
#   FACILITIES [4]        facilities of the tenant (read modes; the seeded encounters spread over them)
#   CATCHUP_TIMEOUT [3600] seconds to wait for the projections after seeding (0: no wait)
#   CATCHUP_BY [live]     live: the live processors catch up (batches of 100, timed); rebuild: a rebuild of each of
#                         REBUILD_PROJECTIONS is started at once after seeding and does it (batches of 1,000)
#   REBUILD_PROJECTIONS ["patients encounters observations"]
#   REBUILD_AFTER [1]     0: mode reads skips its final rebuild step (measure rebuilds apart, on less data)
#   STATS_TIME_FORMAT [date] from/to of the stats requests as dates (date) or instants (instant)
#   KEEP_DB [0]           1: keep the bench database at the end
#   WAIT_QUIET [0]        seconds to wait, before each simulation, for the machine to be quiet (< 25 % busy, the
#                         idle platform included): on a shared machine other builds skew the figures
#   PLATFORM_JAVA_OPTS    extra JVM options of the platform, e.g. a JFR recording of a whole run
#   AOT_CACHE             a JDK AOT cache file (JDK 25: classes loaded and linked, and the JIT's method profiles, of
#                         a training run): the platform runs from its jar extracted by Spring Boot's jar tools into
#                         benchmarks/target/aot-app (an AOT cache takes no classes from nested jars). When the file
#                         does not exist, this run is the training run: -XX:AOTCacheOutput writes it as the
#                         platform stops at the end (the JVM assembles it then: the stop may take a minute). A new
#                         jar deletes the file, which would no longer match it.
#   REFERENCE [1]         0: skip the PostgreSQL reference (no ratios printed)
#   REF_SECONDS [20]      seconds per pgbench reference run
#   PROFILE [0]           1: a JFR recording of the platform during each measured run and rebuild, by subsystem
#                         (costs a few % of throughput: do not mix profiled and reported figures)
set -euo pipefail

MODE=${1:-all}
case "$MODE" in
    single | batch | all | reference | kafka | chain | targets) READ_MODE=0 ;;
    summary | lag | search | stats | rebuild | reads | audit) READ_MODE=1 ;;
    *) echo "usage: $0 [single|batch|all|summary|lag|search|stats|rebuild|reads|audit|kafka|chain|targets|reference]" >&2
       exit 2 ;;
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
PATIENTS=${PATIENTS:-$(case "$MODE" in targets) echo 20 ;; *) [ "$READ_MODE" = 1 ] && echo 1000 || echo 200 ;; esac)}
BENCH_PORT=${BENCH_PORT:-18090}
TENANT=${TENANT:-bench}
PG_HOST=${PG_HOST:-127.0.0.1}
PG_PORT=${PG_PORT:-5432}
PG_USER=${PG_USER:-postgres}
PLATFORM_XMX=${PLATFORM_XMX:-2g}
STARTUP_TIMEOUT=${STARTUP_TIMEOUT:-180}
SKIP_BUILD=${SKIP_BUILD:-0}
KEEP_DB=${KEEP_DB:-0}
KAFKA_WARMUP=${KAFKA_WARMUP:-240}
KAFKA_ROUNDS=${KAFKA_ROUNDS:-1}
CHAIN_WARMUP=${CHAIN_WARMUP:-240}
CHAIN_ROUNDS=${CHAIN_ROUNDS:-3}
STOP_WAIT=30  # seconds the platform gets to stop at the end (an AOT training run: more)
WAIT_QUIET=${WAIT_QUIET:-0}
PROFILE=${PROFILE:-0}
REFERENCE=${REFERENCE:-1}
REF_SECONDS=${REF_SECONDS:-20}
MVN_OFFLINE=${MVN_OFFLINE:-0}
SUMMARY_RATE=${SUMMARY_RATE:-2000}
LAG_RATE=${LAG_RATE:-1000}
LAG_BATCH=${LAG_BATCH:-10}
SEARCH_RATE=${SEARCH_RATE:-100}
STATS_USERS=${STATS_USERS:-2}
SEED_PATIENTS=${SEED_PATIENTS:-$([ "$MODE" = audit ] && echo 100 || echo 100000)}
SEED_OBSERVATIONS=${SEED_OBSERVATIONS:-$([ "$MODE" = audit ] && echo 1000000 || echo 10000000)}
AUDIT_REPEATS=${AUDIT_REPEATS:-10}
AUDIT_WARMUP=${AUDIT_WARMUP:-30}
SEED_CHUNK=${SEED_CHUNK:-500000}
SEED_DAYS=${SEED_DAYS:-365}
FACILITIES=${FACILITIES:-$([ "$READ_MODE" = 1 ] && echo 4 || echo 1)}
CATCHUP_TIMEOUT=${CATCHUP_TIMEOUT:-3600}
CATCHUP_BY=${CATCHUP_BY:-live}
REBUILD_PROJECTIONS=${REBUILD_PROJECTIONS:-patients encounters observations}
STATS_TIME_FORMAT=${STATS_TIME_FORMAT:-date}
MVN="mvn -B -q"
if [ "$MVN_OFFLINE" = 1 ]; then MVN="$MVN -o"; fi
# A fixed secret for bench runs only (HS256, >= 32 bytes); the platform is reachable on the loopback only.
BENCH_JWT_SECRET=${BENCH_JWT_SECRET:-clinical-bench-only-hs256-secret-0123456789abcdef}

STAMP=$(date -u +%Y%m%d%H%M%S)
DB_NAME=clinical_bench_${STAMP}
REF_DB=clinical_benchref_${STAMP}
BASE_URL=http://127.0.0.1:${BENCH_PORT}
OUT=$ROOT/benchmarks/target/bench-$STAMP
IDS_FILE=$OUT/pool.csv
SUMMARY=$OUT/summary.txt
mkdir -p "$OUT" "$ROOT/benchmarks/target/gatling"

log() { echo "[bench $(date -u +%H:%M:%S)] $*"; }

PLATFORM_PID=""
GATLING_PID=""
FLOOR_PID=""
LATENCY_PID=""
SAMPLER_PID=""
TOP_PID=""
RUN_DIR=""
cleanup() {
    local status=$?
    set +e
    for pid in "$GATLING_PID" "$SAMPLER_PID" "$TOP_PID" "$LATENCY_PID" "$FLOOR_PID"; do
        # (GATLING_PID is `timeout`: it runs Maven and Gatling in their own process group and passes a TERM on;
        # LATENCY_PID is the kafka mode's consumer, which would otherwise run on to its own time limit)
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null
            wait "$pid" 2>/dev/null
        fi
    done
    if [ -n "$PLATFORM_PID" ] && kill -0 "$PLATFORM_PID" 2>/dev/null; then
        log "stopping the platform (pid $PLATFORM_PID)"
        kill "$PLATFORM_PID" 2>/dev/null
        for _ in $(seq 1 $((STOP_WAIT * 2))); do
            kill -0 "$PLATFORM_PID" 2>/dev/null || break
            sleep 0.5
        done
        if kill -0 "$PLATFORM_PID" 2>/dev/null; then
            log "the platform did not stop within $STOP_WAIT s: SIGKILL"
            kill -9 "$PLATFORM_PID" 2>/dev/null
        fi
        wait "$PLATFORM_PID" 2>/dev/null
    fi
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAt \
        -c "DROP DATABASE IF EXISTS $REF_DB WITH (FORCE)" >/dev/null 2>&1 || true
    if [ "$KEEP_DB" = 1 ]; then
        log "keeping database $DB_NAME"
    else
        psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAt \
            -c "DROP DATABASE IF EXISTS $DB_NAME WITH (FORCE)" >/dev/null 2>&1 \
            && log "dropped database $DB_NAME" || log "could not drop database $DB_NAME"
        # (the tenant's analyst role belongs to the cluster, not the database)
        psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAt \
            -c "DROP ROLE IF EXISTS clinical_analyst_${TENANT//-/_}" >/dev/null 2>&1 || true
    fi
    log "outputs in ${OUT#"$ROOT"/}"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------------------------------------- build
if [ "$MODE" = reference ]; then
    SKIP_BUILD=1
fi
if [ "$SKIP_BUILD" != 1 ]; then
    log "building the platform jar"
    # (package, not install: nothing of the bench belongs in the shared local repository). The jar goes first:
    # the jar plugin keeps an up-to-date-looking platform jar and Spring Boot's repackage then skips it, so a
    # change in another module would not reach the benchmarked jar.
    rm -f platform/target/clinical-platform.jar platform/target/clinical-platform.jar.original
    $MVN -DskipTests package -pl platform -am
    log "compiling the simulations"
    $MVN test-compile -pl benchmarks
fi
if [ "$MODE" != reference ]; then
    [ -f platform/target/clinical-platform.jar ] || { echo "no platform/target/clinical-platform.jar: run without SKIP_BUILD=1" >&2; exit 1; }
    # A private copy: a build running beside the bench may replace platform/target's jar under the running JVM.
    JAR=$OUT/clinical-platform.jar
    cp platform/target/clinical-platform.jar "$JAR"
fi
AOT_OPTS=""
if [ -n "${AOT_CACHE:-}" ] && [ "$MODE" != reference ]; then
    . bin/aot.sh
    aot_prepare "$JAR" "$ROOT/benchmarks/target/aot-app" "$AOT_CACHE"
    JAR=$AOT_JAR
    AOT_OPTS=$AOT_OPTION
    if [ -f "$AOT_CACHE" ]; then
        log "AOT cache: using $AOT_CACHE"
    else
        STOP_WAIT=600
        log "AOT cache: this run trains $AOT_CACHE (written when the platform stops; a new jar trains it again)"
    fi
fi

# ------------------------------------------------------------------------------------------------- reference
# reference: PostgreSQL's own commit rate on this machine, measured before the platform starts (nothing else
# running), in a database of its own: REF_TPS_1 and REF_TPS_16 single-row transactions/s, REF_BATCH_ROWS rows/s
# in 1,000-row transactions with BATCH_USERS clients. pgbench runs on the same cores, like Gatling later.
REF_TPS_1=""
REF_TPS_16=""
REF_BATCH_ROWS=""
pgbench_tps() { # SCRIPT CLIENTS: transactions/s (excluding connection time) of a REF_SECONDS run
    pgbench -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -n -M prepared -c "$2" -j "$(( $2 < 2 ? 1 : 2 ))" \
        -T "$REF_SECONDS" -f "$1" "$REF_DB" 2>&1 | tee -a "$OUT/reference.log" \
        | awk '/^tps = / {print $3; exit}'
}
reference() {
    command -v pgbench >/dev/null || { log "no pgbench on this machine: no reference, no ratios"; return 0; }
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAt -c "CREATE DATABASE $REF_DB" >/dev/null
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$REF_DB" -qAtX -f benchmarks/reference/schema.sql >/dev/null
    log "reference: pgbench, single-row inserts into an event-store-shaped table, 16 clients, $REF_SECONDS s"
    REF_TPS_16=$(pgbench_tps benchmarks/reference/single.sql 16)
    log "reference: the same with 1 client"
    REF_TPS_1=$(pgbench_tps benchmarks/reference/single.sql 1)
    log "reference: 1,000-row inserts, $BATCH_USERS clients"
    local batch_tps
    batch_tps=$(pgbench_tps benchmarks/reference/batch.sql "$BATCH_USERS")
    REF_BATCH_ROWS=$(python3 -c "print(round(float('$batch_tps') * 1000))")
    psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAt \
        -c "DROP DATABASE IF EXISTS $REF_DB WITH (FORCE)" >/dev/null
    {
        echo "== reference: PostgreSQL $(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -qAtX \
            -c 'show server_version'), pgbench ${REF_SECONDS} s each, table shaped like domain_event_entry"
        printf '  pg 1 client     %.0f single-row commits/s\n' "$REF_TPS_1"
        printf '  pg 16 clients   %.0f single-row commits/s   <- reference for requests/s\n' "$REF_TPS_16"
        printf '  pg batch        %s rows/s in 1,000-row transactions, %s clients   <- reference for observations/s\n' \
            "$REF_BATCH_ROWS" "$BATCH_USERS"
    } | tee -a "$SUMMARY"
}
if [ "$REFERENCE" = 1 ] || [ "$MODE" = reference ]; then
    reference
fi
if [ "$MODE" = reference ]; then
    exit 0
fi

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
    ${PLATFORM_JAVA_OPTS:-} $AOT_OPTS -jar "$JAR" >"$OUT/platform.log" 2>&1 &
PLATFORM_PID=$!
LAUNCHED_AT=$(date +%s.%N)

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
HEALTHY_SECONDS=$(python3 -c "import time; print(f'{time.time() - $LAUNCHED_AT:.1f}')")
log "platform healthy (pid $PLATFORM_PID), $HEALTHY_SECONDS s after its launch"

# ------------------------------------------------------------------------------------------------- data
log "creating tenant $TENANT, $FACILITIES facilities and $PATIENTS patients with an open AMB encounter"
timeout 600 python3 benchmarks/bench.py setup "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" "$PATIENTS" "$IDS_FILE" \
    "$FACILITIES"

# ------------------------------------------------------------------------------------------------- runs
# run_gatling CLASS LABEL SECONDS USERS MEASURED [RATE]: runs one simulation; sets RUN_DIR to its result folder.
# (Not called in a subshell, so that a signal's trap runs at once and sees every process to stop.)
run_gatling() {
    local class=$1 label=$2 seconds=$3 users=$4 measured=$5 rate=${6:-}
    local marker=$OUT/.start-$label run_dir="" status
    RUN_DIR=""
    touch "$marker"
    log "gatling $class ($label): ${seconds} s, $([ -n "$rate" ] && echo "$rate arrivals/s" || echo "$users users")"
    timeout $((seconds + 300)) $MVN -pl benchmarks test-compile gatling:test \
        -Dgatling.simulationClass="org.clinical.benchmarks.$class" \
        -Dgatling.runDescription="$label" \
        -Dbench.baseUrl="$BASE_URL" -Dbench.tenant="$TENANT" -Dbench.jwtSecret="$BENCH_JWT_SECRET" \
        -Dbench.durationSeconds="$seconds" -Dbench.users="$users" -Dbench.batchSize="$BATCH_SIZE" \
        -Dbench.idsFile="$IDS_FILE" -Dbench.label=" ($label)" -Dbench.rate="$rate" \
        -Dbench.statsTimeFormat="$STATS_TIME_FORMAT" -Dbench.lagBatch="$LAG_BATCH" \
        -Dbench.acceptedLog="$OUT/accepted-$label.txt" \
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

# simulate NAME CLASS USERS BATCH [RATE]: warm-up (not reported) then the measured run, whose summary is printed.
# With a RATE the workload is open (RATE arrivals/s) and USERS is not used.
simulate() {
    local name=$1 class=$2 users=$3 batch=$4 rate=${5:-} load
    load=$([ -n "$rate" ] && echo "open workload, $rate arrivals/s" || echo "$users concurrent users")
    wait_quiet
    if [ "$WARMUP" -gt 0 ]; then
        run_gatling "$class" "$name-warm-up" "$WARMUP" "$users" 0 "$rate"
        log "warm-up done: $(python3 benchmarks/bench.py summary "$batch" "$OUT/gatling-$name-warm-up.log" \
            | grep -E 'requests/s|p99' | xargs)"
    fi
    local events_before=0
    if [ "$READ_MODE" = 0 ]; then events_before=$(stored_events); fi
    python3 benchmarks/bench.py scrape "$BASE_URL" "$BENCH_JWT_SECRET" "$OUT/metrics-$name-before.txt" || true
    run_gatling "$class" "$name" "$DURATION" "$users" 1 "$rate"
    python3 benchmarks/bench.py scrape "$BASE_URL" "$BENCH_JWT_SECRET" "$OUT/metrics-$name-after.txt" || true
    {
        echo "== $name: $class, $load, ${DURATION} s$([ "$batch" -gt 1 ] && echo ", batches of $batch")"
        python3 benchmarks/bench.py summary "$batch" "$OUT/gatling-$name.log" "$OUT/cpu-$name.json" \
            "$REF_TPS_16" "$REF_BATCH_ROWS"
        if [ "$READ_MODE" = 0 ]; then
            echo "  stored events   $(( $(stored_events) - events_before )) during the measured run (fewer than" \
                "the requests' commands would mean replays were measured)"
        fi
        python3 benchmarks/bench.py waits "$OUT/metrics-$name-before.txt" "$OUT/metrics-$name-after.txt" || true
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

# ------------------------------------------------------------------------------------------------- seeding
SCHEMA=t_${TENANT//-/_}
PSQL=(psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$DB_NAME" -qAtX)
psql_bench() { "${PSQL[@]}" "$@"; }
stored_events() { psql_bench -c "select count(*) from $SCHEMA.domain_event_entry"; }
FACILITY_IDS=""
SEEDED_PATIENTS=0
SEEDED_OBSERVATIONS=0

# seed FILE TOTAL PER_ITEM_EVENTS LABEL [psql -v args]: runs a seeding script chunk after chunk (one transaction
# each, never two at once), SEED_CHUNK events per chunk; prints the time and events/s.
seed() {
    local file=$1 total=$2 events_per_item=$3 label=$4 first=1 count started elapsed
    shift 4
    local chunk=$((SEED_CHUNK / events_per_item))
    [ "$chunk" -ge 1 ] || chunk=1
    [ -n "$FACILITY_IDS" ] || FACILITY_IDS="{$(psql_bench -c "select string_agg(aggregate_identifier, ',' order by global_index)
        from $SCHEMA.domain_event_entry where payload_type = 'FacilityRegistered'")}"
    wait_quiet
    log "seeding $total $label ($((total * events_per_item)) events) with $file, $chunk per transaction"
    started=$(date +%s.%N)
    while [ "$first" -le "$total" ]; do
        count=$((total - first + 1))
        [ "$count" -le "$chunk" ] || count=$chunk
        timeout 3600 "${PSQL[@]}" -v schema="$SCHEMA" -v tenant="$TENANT" -v facilities="$FACILITY_IDS" \
            -v first="$first" -v count="$count" "$@" -f "$file"
        first=$((first + count))
    done
    elapsed=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
    echo "  seeding         $total $label, $((total * events_per_item)) events in $elapsed s" \
        "($(python3 -c "print(f'{$total * $events_per_item / $elapsed:,.0f}')") events/s), by SQL ($file)" | tee -a "$SUMMARY"
}

# catch_up: waits until the projections have handled every event: by the live processors (batches of 100), or
# with CATCHUP_BY=rebuild by a rebuild of each of REBUILD_PROJECTIONS started at once (batches of 1,000).
# (CATCHUP_TIMEOUT=0: no wait, e.g. to try the seeding alone)
catch_up() {
    if [ "$CATCHUP_TIMEOUT" = 0 ]; then
        log "CATCHUP_TIMEOUT=0: not waiting for the projections"
        return 0
    fi
    local rebuild=""
    if [ "$CATCHUP_BY" = rebuild ]; then rebuild=$REBUILD_PROJECTIONS; fi
    # shellcheck disable=SC2086 # (the names are words)
    python3 benchmarks/bench.py catchup "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" "$CATCHUP_TIMEOUT" $rebuild \
        | tee "$OUT/catch-up.log"
    echo "  projections     $(tail -1 "$OUT/catch-up.log")$([ -n "$rebuild" ] && echo " (by rebuilds: $rebuild)")" \
        >>"$SUMMARY"
}

seed_patients() {
    [ "$SEEDED_PATIENTS" = 0 ] || return 0
    echo "== seeding: $SEED_PATIENTS patients with an open AMB encounter each" >>"$SUMMARY"
    seed benchmarks/seed/patients.sql "$SEED_PATIENTS" 2 "patients"
    catch_up
    SEEDED_PATIENTS=1
}

seed_observations() {
    [ "$SEEDED_OBSERVATIONS" = 0 ] || return 0
    seed_patients
    echo "== seeding: $SEED_OBSERVATIONS observations of 8 codes over $SEED_DAYS days" >>"$SUMMARY"
    seed benchmarks/seed/observations.sql "$SEED_OBSERVATIONS" 1 "observations" \
        -v patients="$SEED_PATIENTS" -v days="$SEED_DAYS"
    catch_up
    SEEDED_OBSERVATIONS=1
}

# rebuild_each NAME...: rebuilds each projection in turn over the tenant's whole stream, once the machine is quiet.
rebuild_each() {
    local events
    wait_quiet
    events=$(stored_events)
    echo "== rebuild: $*, one after the other, $events events in the tenant's stream" >>"$SUMMARY"
    if [ "$PROFILE" = 1 ]; then
        "$CLINICAL_JAVA_HOME/bin/jcmd" "$PLATFORM_PID" JFR.start name=bench-rebuild settings=profile \
            filename="$OUT/platform-rebuild.jfr" >/dev/null 2>&1 || log "could not start a JFR recording"
    fi
    timeout $((CATCHUP_TIMEOUT * 3)) python3 benchmarks/bench.py rebuild "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" \
        "$events" "$@" | tee "$OUT/rebuild.log"
    grep '^  rebuild' "$OUT/rebuild.log" >>"$SUMMARY"
    if [ "$PROFILE" = 1 ]; then
        "$CLINICAL_JAVA_HOME/bin/jcmd" "$PLATFORM_PID" JFR.stop name=bench-rebuild >/dev/null 2>&1 || true
        if [ -s "$OUT/platform-rebuild.jfr" ]; then
            "$CLINICAL_JAVA_HOME/bin/java" benchmarks/src/test/java/org/clinical/benchmarks/JfrSummary.java \
                "$OUT/platform-rebuild.jfr" >>"$SUMMARY" || log "could not read the JFR recording"
        fi
    fi
}

# floor_run USERS BATCH [RATE] (simulate's): the cached-summary load of the run before it, against FloorServer
# instead of the platform (which stays up, idle): a server that reads each request and answers the bytes of one real
# summary, with no security, no cache and no access log. Its rate is what this machine and load generator allow any
# server; the load generator's CPU per read in it, what no server can take back.
floor_run() {
    local port=$((BENCH_PORT + 1)) patient base=$BASE_URL platform=$PLATFORM_PID
    patient=$(grep -v '^patientId' "$IDS_FILE" | head -1 | cut -d, -f1)
    if ! python3 benchmarks/bench.py fetch "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" \
        "/api/v1/$TENANT/patients/$patient" "$OUT/floor-body.json"; then
        log "no summary to answer with: no floor figures"
        return 0
    fi
    "$CLINICAL_JAVA_HOME/bin/java" -Xmx256m benchmarks/floor/FloorServer.java "$port" "$OUT/floor-body.json" \
        >"$OUT/floor.log" 2>&1 &
    FLOOR_PID=$!
    local deadline=$((SECONDS + 60))
    until curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; do
        if ! kill -0 "$FLOOR_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
            cat "$OUT/floor.log" >&2
            log "the floor server did not start: no floor figures"
            kill "$FLOOR_PID" 2>/dev/null
            FLOOR_PID=""
            return 0
        fi
        sleep 0.5
    done
    BASE_URL=http://127.0.0.1:$port PLATFORM_PID=$FLOOR_PID
    BENCH_SERVER_LABEL="floor server (no work)" READ_MODE=1 simulate summary-floor PatientSummarySimulation "$@"
    BASE_URL=$base PLATFORM_PID=$platform
    kill "$FLOOR_PID" 2>/dev/null
    wait "$FLOOR_PID" 2>/dev/null || true
    FLOOR_PID=""
}

rebuild_all() {
    seed_observations
    # shellcheck disable=SC2086 # the names are words
    rebuild_each $REBUILD_PROJECTIONS
}

# ------------------------------------------------------------------------------------------------- modes
if [ "$MODE" = single ] || [ "$MODE" = all ]; then
    simulate single SingleObservationSimulation "$USERS" 1
fi
if [ "$MODE" = batch ] || [ "$MODE" = all ]; then
    simulate batch ObservationBatchSimulation "$BATCH_USERS" "$BATCH_SIZE"
fi
if [ "$MODE" = summary ] || [ "$MODE" = reads ]; then
    timeout 600 python3 benchmarks/bench.py vitals "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" "$IDS_FILE"
    # simulate's USERS BATCH [RATE]: N clients, or SUMMARY_RATE arrivals/s
    if [ "${SUMMARY_USERS:-0}" -gt 0 ]; then load=("$SUMMARY_USERS" 1); else load=(0 1 "$SUMMARY_RATE"); fi
    simulate summary PatientSummarySimulation "${load[@]}"
    if [ "${FLOOR:-0}" = 1 ]; then floor_run "${load[@]}"; fi
fi
if [ "$MODE" = lag ] || [ "$MODE" = reads ]; then
    simulate lag ProjectionLagSimulation 0 1 "$LAG_RATE"
fi
if [ "$MODE" = search ] || [ "$MODE" = reads ]; then
    seed_patients
    simulate search PatientSearchSimulation 0 1 "$SEARCH_RATE"
fi
if [ "$MODE" = stats ] || [ "$MODE" = reads ]; then
    seed_observations
    simulate stats ObservationStatsSimulation "$STATS_USERS" 1
fi
if [ "$MODE" = rebuild ] || { [ "$MODE" = reads ] && [ "${REBUILD_AFTER:-1}" = 1 ]; }; then
    rebuild_all
fi
if [ "$MODE" = audit ]; then
    seed_observations
    # What autovacuum does after a bulk load, done at once: the visibility map that lets a patient's positions be
    # read from audit_event's primary key alone (an index-only scan), and the planner's statistics. This machine's
    # PostgreSQL runs with autovacuum off; production's must not (docs/operations.md, "PostgreSQL settings").
    started=$(date +%s.%N)
    psql_bench -c "vacuum (analyze)" >/dev/null
    log "vacuum (analyze) of the database after seeding: $(python3 -c "import time; print(round(time.time() - $started, 1))") s"
    wait_quiet
    AUDITED=$(psql_bench -c "select overlay(overlay(md5('seed-patient-$TENANT-1') placing '4' from 13) placing '8' from 17)::uuid")
    echo "== audit: the seeded patient $AUDITED and the tenant's $(stored_events) events" >>"$SUMMARY"
    timeout 3600 python3 benchmarks/bench.py audit "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" "$AUDITED" \
        "$AUDIT_REPEATS" "$AUDIT_WARMUP" | tee "$OUT/audit.log"
    grep '^  ' "$OUT/audit.log" >>"$SUMMARY"
fi
# targets: issue 12's scenarios one after the other on the same platform, with everything live (projections,
# cache, access log, Kafka publisher), then bench.py targets compares each figure with its target. The single
# commands' warm-up is the platform's first WARMUP seconds of load: the time-to-peak figure.
if [ "$MODE" = targets ]; then
    simulate single SingleObservationSimulation "$USERS" 1
    POOL_FILE=$IDS_FILE
    head -2 "$POOL_FILE" >"$OUT/one-patient.csv"
    IDS_FILE=$OUT/one-patient.csv
    simulate single-one-patient SingleObservationSimulation "$USERS" 1
    IDS_FILE=$POOL_FILE
    simulate batch ObservationBatchSimulation "$BATCH_USERS" "$BATCH_SIZE"
    timeout 600 python3 benchmarks/bench.py vitals "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" "$IDS_FILE"
    READ_MODE=1 simulate summary PatientSummarySimulation "$USERS" 1
    if [ "${FLOOR:-1}" = 1 ]; then floor_run "$USERS" 1; fi
    simulate lag ProjectionLagSimulation 0 1 "$LAG_RATE"
    timeout "$CATCHUP_TIMEOUT" python3 benchmarks/bench.py catchup "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" \
        "$CATCHUP_TIMEOUT" >/dev/null
    rebuild_each patients encounters observations facilities audit
    {
        echo "== issue 12's targets, this run"
        python3 benchmarks/bench.py targets "$OUT" "$REF_TPS_16" "$REF_BATCH_ROWS" "$HEALTHY_SECONDS" "$BATCH_SIZE" \
            "$LAG_RATE"
    } >>"$SUMMARY"
fi
# jit_warm_up LABEL SECONDS: single commands before runs that are compared with each other: the JIT compiles for
# minutes on two cores, and whichever run comes later gains from it.
jit_warm_up() {
    if [ "$2" -gt 0 ]; then
        run_gatling SingleObservationSimulation "$1-jit-warm-up" "$2" "$USERS" 0
        log "JIT warm-up done: $(python3 benchmarks/bench.py summary 1 "$OUT/gatling-$1-jit-warm-up.log" \
            | grep -E 'requests/s' | xargs)"
    fi
}

# alternate LABEL ROUNDS OFF ON: single commands without a part of the platform (OFF turns it off), then ROUNDS
# times with it (ON ROUND turns it on) and without it again; the part is on at the end. The measured runs' logs, in
# their order, go to ALTERNATED_LOGS for bench.py ratio.
alternate() {
    local label=$1 rounds=$2 off=$3 on=$4 round
    "$off"
    simulate "$label-off-0" SingleObservationSimulation "$USERS" 1
    ALTERNATED_LOGS=("$OUT/gatling-$label-off-0.log")
    for round in $(seq 1 "$rounds"); do
        "$on" "$round"
        simulate "$label-on-$round" SingleObservationSimulation "$USERS" 1
        "$off"
        simulate "$label-off-$round" SingleObservationSimulation "$USERS" 1
        ALTERNATED_LOGS+=("$OUT/gatling-$label-on-$round.log" "$OUT/gatling-$label-off-$round.log")
    done
    "$on" $((rounds + 1))
}

# kafka: single commands (USERS clients) with the tenant's publisher held off (its token's claim taken by SQL, so
# the platform itself is unchanged), then running, then held off again, KAFKA_ROUNDS times, in the same run: each
# run with it is divided by the mean of the two without it around it, to offset the JIT still compiling (which
# favours whichever run comes later), and all of them by all the runs without; KAFKA_WARMUP seconds of single
# commands come first for the same reason (docs/performance.md). The backlog each held-off run left is released
# and its publishing timed (bench.py kafka-catchup) before the next run with the publisher; then the end-to-end
# latency of a steady LAG_RATE observations/s, in batches of LAG_BATCH (ProjectionLagSimulation), to a consumer
# (benchmarks/kafka/KafkaLatency.java): from each event's recordedAt (the command's arrival, so its own handling
# included), and, as the issue defines it, from the moment the command was accepted (the probes' answers, joined
# by position: bench.py kafka-accepted).
if [ "$MODE" = kafka ]; then
    KAFKA_CP="$(ls ~/.m2/repository/org/apache/kafka/kafka-clients/*/kafka-clients-*.jar | grep -v sources | tail -1):$(ls ~/.m2/repository/org/slf4j/slf4j-api/*/slf4j-api-*.jar | tail -1)"
    KAFKA_BOOTSTRAP=$(grep -o 'In-process Kafka broker (KRaft) listening on [0-9.:]*' "$OUT/platform.log" | awk '{print $NF}' | tail -1)
    KAFKA_CLAIM="update $SCHEMA.token_entry set owner = 'bench-held', timestamp = '2100-01-01T00:00:00Z' where processor_name = 'kafka-publisher'"
    KAFKA_RELEASE="update $SCHEMA.token_entry set owner = null where processor_name = 'kafka-publisher'"
    kafka_off() { psql_bench -c "$KAFKA_CLAIM" >/dev/null; }
    # the publisher is released and its backlog published (timed) before a run with it, which must not publish it
    kafka_on() {
        wait_quiet
        psql_bench -c "$KAFKA_RELEASE" >/dev/null
        timeout 3600 python3 benchmarks/bench.py kafka-catchup "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" 3000 \
            | sed 's/^  kafka backlog/  kafka backlog (round '"$1"')/' | tee -a "$OUT/kafka-catchup.log"
    }
    jit_warm_up kafka "$KAFKA_WARMUP"
    alternate kafka "$KAFKA_ROUNDS" kafka_off kafka_on
    {
        echo "== kafka: single commands without the publisher (kafka-off-N) and with it (kafka-on-N), alternated, same run"
        python3 benchmarks/bench.py ratio "${ALTERNATED_LOGS[@]}"
        grep '^  ' "$OUT/kafka-catchup.log"
    } >>"$SUMMARY"
    wait_quiet
    # The consumer is a long-running process, as a downstream system's is: it starts before the warm-up, so that
    # its JVM has compiled its own code when the measured run starts (started 3 s before it, its first seconds
    # were most of the run's p99). It counts only the records recorded from the measured run's start (FROM), and
    # stops once it has the run's last probe and every partition read to its end (UNTIL, written once the
    # publisher reports every event published).
    KAFKA_FROM=$OUT/kafka-latency.from
    KAFKA_UNTIL=$OUT/kafka-latency.until
    "$CLINICAL_JAVA_HOME/bin/java" -cp "$KAFKA_CP" benchmarks/kafka/KafkaLatency.java "$KAFKA_BOOTSTRAP" \
        "clinical.$TENANT.events" $((WARMUP + DURATION + 900)) "$OUT/kafka-received.txt" "$KAFKA_FROM" \
        "$KAFKA_UNTIL" >"$OUT/kafka-latency.log" 2>&1 &
    LATENCY_PID=$!
    deadline=$((SECONDS + 60))
    until grep -q '^ready' "$OUT/kafka-latency.log" 2>/dev/null; do
        if ! kill -0 "$LATENCY_PID" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
            log "the Kafka consumer did not start; its log:"; cat "$OUT/kafka-latency.log" >&2; exit 1
        fi
        sleep 0.2
    done
    if [ "$WARMUP" -gt 0 ]; then
        run_gatling ProjectionLagSimulation kafka-latency-warm-up "$WARMUP" 0 0 "$LAG_RATE"
    fi
    # what the warm-up left behind is not the measured run's: every projection and the publisher at the head first
    { timeout 300 python3 benchmarks/bench.py catchup "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" 240 | tail -1
      timeout 300 python3 benchmarks/bench.py kafka-catchup "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" 240; } \
        | sed 's/^ */  before the latency run: /' | tee -a "$SUMMARY"
    python3 -c 'import time; print(time.time_ns() // 1000)' >"$KAFKA_FROM"
    echo "== kafka-latency: ProjectionLagSimulation, $LAG_RATE observations/s in batches of $LAG_BATCH, ${DURATION} s" >>"$SUMMARY"
    run_gatling ProjectionLagSimulation kafka-latency "$DURATION" 0 1 "$LAG_RATE"
    python3 benchmarks/bench.py summary 1 "$OUT/gatling-kafka-latency.log" "$OUT/cpu-kafka-latency.json" \
        "$REF_TPS_16" "$REF_BATCH_ROWS" >>"$SUMMARY"
    timeout 300 python3 benchmarks/bench.py kafka-catchup "$BASE_URL" "$TENANT" "$BENCH_JWT_SECRET" 240 >/dev/null
    last_probe=$(awk '{print $1}' "$OUT/accepted-kafka-latency.txt" 2>/dev/null | sort -n | tail -1)
    echo "${last_probe:-0}" >"$KAFKA_UNTIL.tmp"
    mv "$KAFKA_UNTIL.tmp" "$KAFKA_UNTIL"
    wait "$LATENCY_PID" || true
    LATENCY_PID=""
    grep '^  kafka latency' "$OUT/kafka-latency.log" >>"$SUMMARY" || tail -5 "$OUT/kafka-latency.log" >>"$SUMMARY"
    python3 benchmarks/bench.py kafka-accepted "$OUT/accepted-kafka-latency.txt" "$OUT/kafka-received.txt" \
        >>"$SUMMARY" || true
fi
# chain: single commands (USERS clients) with the tamper-evidence chain of issue 9 (the trigger that hashes each
# event with its aggregate's previous hash as it is inserted) and without it, in the same run: without it, the
# tenant's trigger function is replaced by SQL with one that only sets a constant hash (the column is not null, and
# the sealer goes on sealing whatever is stored), so the platform itself is unchanged and the trigger's call
# remains; with it, the function's own definition (pg_get_functiondef) is restored. Runs alternate as in kafka
# (bench.py ratio), after CHAIN_WARMUP seconds of single commands with the chain; the sealer runs in all of them.
if [ "$MODE" = chain ]; then
    CHAIN_FUNCTION="$OUT/event_chain_link.sql"
    psql_bench -c "select pg_get_functiondef('$SCHEMA.event_chain_link'::regproc)" >"$CHAIN_FUNCTION"
    grep -q sha256 "$CHAIN_FUNCTION" || { log "no chain function in $SCHEMA"; exit 1; }
    CHAIN_OFF="create or replace function $SCHEMA.event_chain_link() returns trigger language plpgsql as
        \$\$ begin new.chain_hash := decode(repeat('00', 32), 'hex'); return new; end \$\$"
    chain_off() { psql_bench -c "$CHAIN_OFF" >/dev/null; }
    chain_on() { psql_bench -v ON_ERROR_STOP=1 -f "$CHAIN_FUNCTION" >/dev/null; }
    jit_warm_up chain "$CHAIN_WARMUP"
    alternate chain "$CHAIN_ROUNDS" chain_off chain_on
    {
        echo "== chain: single commands without the hash chain (chain-off-N) and with it (chain-on-N), alternated, same run"
        python3 benchmarks/bench.py ratio "${ALTERNATED_LOGS[@]}"
    } >>"$SUMMARY"
fi

echo
COMMIT=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain -- . ':!benchmarks' 2>/dev/null)" ]; then COMMIT="$COMMIT + uncommitted changes"; fi
echo "Summary ($(nproc) cores, machine $IDLE_BUSY % busy before the run, platform -Xmx$PLATFORM_XMX," \
    "pool of $PATIENTS patients, code $COMMIT, $(date -u +%FT%TZ))"
if [ "$READ_MODE" = 1 ]; then
    echo "Stored: $(psql_bench -c "select count(*) || ' events, ' || pg_size_pretty(pg_total_relation_size('$SCHEMA.domain_event_entry'))
        || ' event table' from $SCHEMA.domain_event_entry"); database $(psql_bench -c "select pg_size_pretty(pg_database_size(current_database()))")"
fi
cat "$SUMMARY"
