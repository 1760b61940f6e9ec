#!/usr/bin/env python3
"""Helpers for benchmarks/run.sh (standard library only).

  bench.py setup    BASE_URL TENANT SECRET COUNT IDS_FILE [FACILITIES]
                                                            tenant, FACILITIES facilities (default 1), COUNT
                                                            patients with an open AMB encounter each; writes
                                                            patientId,encounterId lines
  bench.py vitals   BASE_URL TENANT SECRET IDS_FILE         records the 4 vital signs of every patient of the
                                                            pool (batches), so that summaries carry latest vitals
  bench.py fetch    BASE_URL TENANT SECRET PATH OUT_FILE    one GET as a clinician; writes the body's bytes
  bench.py catchup  BASE_URL TENANT SECRET TIMEOUT_S [NAME...]
                                                            waits until no projection of the tenant lags behind
                                                            the head nor rebuilds; prints the time it took
                                                            (NAMEs: projections to rebuild first)
  bench.py rebuild  BASE_URL TENANT SECRET EVENTS NAME...   rebuilds each projection in turn, waits for each,
                                                            prints events/s (EVENTS: events in the tenant's stream)
  bench.py kafka-catchup BASE_URL TENANT SECRET TIMEOUT_S waits until the Kafka publisher has no lag; prints its
                                                            backlog throughput (events/s)
  bench.py ratio OFF_LOG ON_LOG OFF_LOG [ON_LOG OFF_LOG]...  ok requests/s with a part (the Kafka publisher, the
                                                            hash chain) against without it, alternated runs
  bench.py kafka-accepted ACCEPTED RECEIVED [SETTLE_S]      Kafka end-to-end latency from each probe's answer
                                                            (all probes; those after the first SETTLE_S, 20)
  bench.py cpu      PLATFORM_PID BENCH_PID OUT_JSON MAX_S   samples per-process CPU every 2 s until SIGTERM or
                                                            MAX_S, writes cores used per process group
                                                            (BENCH_PID: the process running Gatling; the
                                                            server's label from BENCH_SERVER_LABEL if set)
  bench.py audit    BASE_URL TENANT SECRET PATIENT_ID [REPEATS] times the auditor's reads: a patient's history
                                                          (page, NDJSON, as-of chart), the stream export, verify
  bench.py scrape   BASE_URL SECRET OUT_FILE                saves the platform's Prometheus metrics
  bench.py waits    BEFORE_FILE AFTER_FILE                  the access log's wait percentiles between two scrapes
  bench.py busy     [SECONDS]                               prints how busy (%) the machine is, over 3 s
  bench.py summary  BATCH_SIZE GATLING_LOG [CPU_JSON]       prints one simulation's figures from Gatling's
                                                            console report (and the CPU split)
  bench.py targets  OUT_DIR REF_TPS REF_BATCH_ROWS HEALTHY_S BATCH_SIZE LAG_RATE
                                                            issue 12's targets against a targets run's figures
                                                            (Markdown table, met or not)
"""
import base64
import hashlib
import hmac
import http.client
import json
import math
import os
import re
import signal
import sys
import time
import urllib.parse
from datetime import datetime, timedelta, timezone


# --------------------------------------------------------------------------------------------------- setup

def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def hs256_token(secret: str, subject: str, roles, tenants, ttl_seconds: int = 7200) -> str:
    header = {"alg": "HS256", "typ": "JWT"}
    now = int(time.time())
    claims = {"sub": subject, "roles": roles, "tenants": tenants, "regions": ["*"], "iat": now,
              "exp": now + ttl_seconds}
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    signature = hmac.new(secret.encode("utf-8"), signing_input.encode("ascii"), hashlib.sha256).digest()
    return signing_input + "." + b64url(signature)


class Client:
    """One keep-alive HTTP/1.1 connection to the platform (loopback only)."""

    def __init__(self, base_url: str, token: str):
        url = urllib.parse.urlsplit(base_url)
        if url.hostname not in ("127.0.0.1", "localhost", "::1"):
            raise SystemExit(f"refusing a non-loopback target: {base_url}")
        self.host, self.port = url.hostname, url.port or 80
        self.token = token
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)

    def post(self, path: str, body) -> tuple:
        headers = {"Authorization": f"Bearer {self.token}", "Content-Type": "application/json",
                   "Accept": "application/json"}
        for attempt in range(2):
            try:
                self.connection.request("POST", path, json.dumps(body), headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                return response.status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def get(self, path: str) -> tuple:
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/json"}
        for attempt in range(2):
            try:
                self.connection.request("GET", path, headers=headers)
                response = self.connection.getresponse()
                text = response.read().decode("utf-8", "replace")
                return response.status, (json.loads(text) if text.strip().startswith(("{", "[")) else text)
            except (http.client.HTTPException, ConnectionError):
                self.connection.close()
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def post_expect(self, path: str, body, expected=(201,), retry_on=(), deadline_seconds: float = 30):
        """POSTs, retrying (bounded in time) while the answer is in retry_on (e.g. a read model not there yet)."""
        deadline = time.monotonic() + deadline_seconds
        while True:
            status, answer = self.post(path, body)
            if status in expected:
                return status, answer
            if status in retry_on and time.monotonic() < deadline:
                time.sleep(0.2)
                continue
            raise SystemExit(f"POST {path} answered {status}: {answer}")


def setup(base_url: str, tenant: str, secret: str, count: int, ids_file: str, facilities: int = 1) -> None:
    started = time.monotonic()
    admin = Client(base_url, hs256_token(secret, "bench-admin", ["admin", "clinician"], ["*"]))
    clinician = Client(base_url, hs256_token(secret, "bench-setup", ["clinician"], [tenant]))

    admin.post_expect("/api/v1/tenants", {"id": tenant, "name": "Benchmark tenant", "region": "default"},
                      expected=(201, 409))
    _, facility = admin.post_expect(f"/api/v1/{tenant}/facilities",
                                    {"code": "BENCH-CLINIC", "name": "Benchmark clinic", "type": "clinic"},
                                    retry_on=(404,))
    facility_id = facility["facilityId"]
    for n in range(2, facilities + 1):
        admin.post_expect(f"/api/v1/{tenant}/facilities",
                          {"code": f"BENCH-{n}", "name": f"Benchmark facility {n}",
                           "type": ["hospital", "clinic", "lab"][n % 3]}, expected=(201, 409))

    started_at = (datetime.now(timezone.utc) - timedelta(days=1)).replace(microsecond=0)
    started_at = started_at.isoformat().replace("+00:00", "Z")
    families = ["Martin", "Bernard", "Dubois", "Durand", "Lefebvre", "Moreau", "Laurent", "Simon"]
    givens = ["Alice", "Louis", "Emma", "Jules", "Chloé", "Hugo", "Léa", "Arthur"]
    pairs = []
    for i in range(count):
        _, patient = clinician.post_expect(f"/api/v1/{tenant}/patients", {
            "mrn": f"BENCH-{i:05d}",
            "name": {"family": families[i % len(families)], "given": [givens[(i // 8) % len(givens)]]},
            "birthDate": f"{1940 + i % 60}-{1 + i % 12:02d}-{1 + i % 28:02d}",
            "gender": ["female", "male", "other", "unknown"][i % 4],
        })
        patient_id = patient["patientId"]
        _, encounter = clinician.post_expect(f"/api/v1/{tenant}/encounters", {
            "patientId": patient_id, "class": "AMB", "facilityId": facility_id,
            "location": f"Room {1 + i % 20}", "startedAt": started_at,
        }, retry_on=(404,))
        pairs.append((patient_id, encounter["encounterId"]))

    with open(ids_file, "w", encoding="utf-8") as out:
        out.write("patientId,encounterId\n")
        for patient_id, encounter_id in pairs:
            out.write(f"{patient_id},{encounter_id}\n")
    print(f"setup: tenant {tenant}, facility {facility_id}, {len(pairs)} patients with an open AMB encounter "
          f"in {time.monotonic() - started:.1f} s -> {ids_file}")


def vitals(base_url: str, tenant: str, secret: str, ids_file: str) -> None:
    """The 4 vital signs of every pool patient, a few minutes ago, in batches of 1,000 observations."""
    started = time.monotonic()
    clinician = Client(base_url, hs256_token(secret, "bench-setup", ["clinician"], [tenant]))
    with open(ids_file, encoding="utf-8") as f:
        pairs = [line.strip().split(",") for line in f if line.strip() and not line.startswith("patientId")]
    effective_at = (datetime.now(timezone.utc) - timedelta(minutes=5)).replace(microsecond=0)
    effective_at = effective_at.isoformat().replace("+00:00", "Z")
    signs = [("8867-4", "Heart rate", "/min", 72.0, 60, 100), ("9279-1", "Respiratory rate", "/min", 16.0, 12, 20),
             ("8310-5", "Body temperature", "Cel", 36.8, 36.1, 37.8), ("59408-5", "Oxygen saturation", "%", 97.0, 94, 100)]
    observations = [{
        "patientId": patient_id, "encounterId": encounter_id,
        "code": {"system": "http://loinc.org", "code": code, "display": display}, "category": "vital-signs",
        "effectiveAt": effective_at, "value": {"quantity": {"value": value, "unit": unit}},
        "referenceRange": {"low": low, "high": high},
    } for patient_id, encounter_id in pairs for code, display, unit, value, low, high in signs]
    for start in range(0, len(observations), 1000):
        clinician.post_expect(f"/api/v1/{tenant}/observations/batch", {"observations": observations[start:start + 1000]})
    print(f"vitals: {len(observations)} observations for {len(pairs)} patients in {time.monotonic() - started:.1f} s")


def fetch(base_url: str, tenant: str, secret: str, path: str, out_path: str) -> None:
    """One GET of path as a clinician; the body's bytes as answered go to out_path (the floor server's answer)."""
    client = Client(base_url, hs256_token(secret, "bench-setup", ["clinician"], [tenant]))
    client.connection.request("GET", path, headers={"Authorization": f"Bearer {client.token}",
                                                    "Accept": "application/json"})
    response = client.connection.getresponse()
    body = response.read()
    if response.status != 200:
        raise SystemExit(f"GET {path} answered {response.status}")
    with open(out_path, "wb") as f:
        f.write(body)
    print(f"fetch: {len(body)} bytes of {path}")


def projections(client: "Client", tenant: str) -> list:
    status, answer = client.get(f"/api/v1/{tenant}/projections")
    if status != 200:
        raise SystemExit(f"GET /api/v1/{tenant}/projections answered {status}: {answer}")
    return answer["items"]


def catchup(base_url: str, tenant: str, secret: str, timeout: float, rebuild_names=()) -> None:
    """Waits until every projection of the tenant has reached the head and none rebuilds. With rebuild_names,
    starts a rebuild of each first (batches of 1,000 instead of the live processors' 100: a rebuild that
    reaches the head hands its position to the live processor, which then has nothing left to do)."""
    admin = Client(base_url, hs256_token(secret, "bench-admin", ["admin"], [tenant]))
    started = time.monotonic()
    for name in rebuild_names:
        status, answer = admin.post(f"/api/v1/{tenant}/projections/{name}/rebuild", {})
        if status != 202:
            raise SystemExit(f"POST .../projections/{name}/rebuild answered {status}: {answer}")
    last_print = 0.0
    first = None
    while True:
        items = projections(admin, tenant)
        first = first or {item["name"]: item["position"] for item in items}
        elapsed = time.monotonic() - started
        behind = [item for item in items if item["lag"] > 0 or item["rebuilding"]]
        if not behind:
            head = max((item["head"] for item in items), default=0)
            done = sum(item["position"] - first.get(item["name"], 0) for item in items)
            print(f"catch-up: every projection at the head ({head}) after {elapsed:.1f} s"
                  + (f"; {done} events handled in all, {done / elapsed:.0f} events/s summed over"
                     f" {len(items)} projections" if elapsed > 1 else ""))
            return
        if elapsed > timeout:
            raise SystemExit(f"catch-up: still behind after {timeout:.0f} s: {behind}")
        if elapsed - last_print >= 15:
            last_print = elapsed
            print("catch-up: " + ", ".join(f"{i['name']} {i['position']}/{i['head']}" for i in items), flush=True)
        time.sleep(0.5)


def kafka_publisher(client: "Client", tenant: str) -> dict:
    status, answer = client.get(f"/api/v1/{tenant}/projections")
    if status != 200 or not answer.get("publishers"):
        raise SystemExit(f"GET /api/v1/{tenant}/projections answered {status} without a publisher: {answer}")
    return answer["publishers"][0]


def kafka_catchup(base_url: str, tenant: str, secret: str, timeout: float) -> None:
    """The Kafka publisher's backlog throughput: from the moment it starts moving (its claim just released by
    run.sh) until its lag is 0, the events it published / the time it took (polled every 0.1 s)."""
    admin = Client(base_url, hs256_token(secret, "bench-admin", ["admin"], [tenant]))
    first = kafka_publisher(admin, tenant)
    backlog = first["lag"]
    started = time.monotonic()
    moving = None
    while True:
        item = kafka_publisher(admin, tenant)
        now = time.monotonic()
        if moving is None and item["position"] != first["position"]:
            moving = (now, first["position"])
        if item["lag"] == 0:
            break
        if now - started > timeout:
            raise SystemExit(f"kafka catch-up: still behind after {timeout:.0f} s: {item}")
        time.sleep(0.1)
    elapsed = time.monotonic() - (moving[0] if moving else started)
    total = time.monotonic() - started
    print(f"  kafka backlog   {backlog} events published in {total:.1f} s from the release"
          f" ({backlog / total:,.0f} events/s); {backlog / max(elapsed, 0.1):,.0f} events/s from the first"
          f" committed batch on (polled every 0.1 s)")


def kafka_accepted(accepted_path: str, received_path: str, settle: float = 20.0) -> None:
    """Kafka end-to-end latency as issue 10 defines it, command accepted -> consumer has it: for each probe of
    ProjectionLagSimulation ("position epochMicros" when its 201 arrived) the moment the consumer was handed the
    record of that position (KafkaLatency's "position epochMicros"), same machine and clock. A record handed over
    before its command's answer arrived counts as 0. Probes whose record never came are reported. Printed for all
    probes, then for those accepted SETTLE seconds or more after the first (the load's first seconds: a new
    Gatling JVM compiles its own code on the same two cores; until 2026-12-04 the consumer's JVM too, and that was
    most of the whole run's p99)."""
    def read(path: str) -> dict:
        times = {}
        with open(path) as lines:
            for line in lines:
                parts = line.split()
                if len(parts) == 2:
                    times.setdefault(int(parts[0]), int(parts[1]))
        return times
    accepted = read(accepted_path)
    received = read(received_path)
    missing = sum(1 for position in accepted if position not in received)
    if not accepted or missing == len(accepted):
        print(f"  kafka accepted  no probe's record received ({len(accepted)} probes)")
        return
    first = min(accepted.values())

    def line(label: str, since_us: int) -> str:
        latencies = sorted(max(0, received[position] - at) / 1000.0 for position, at in accepted.items()
                           if position in received and at - first >= since_us)
        if not latencies:
            return f"  {label}  no probes"

        def pct(p: float) -> float:
            return latencies[max(0, min(len(latencies) - 1, math.ceil(p / 100 * len(latencies)) - 1))]
        return (f"  {label}  {len(latencies)} probes, command accepted -> consumer: p50 {pct(50):.1f} ms,"
                f" p95 {pct(95):.1f} ms, p99 {pct(99):.1f} ms, max {latencies[-1]:.1f} ms")
    print(line("kafka accepted", 0)
          + (f"; {missing} probes not received within the consumer's run" if missing else ""))
    print(line(f"  after {settle:.0f} s", int(settle * 1_000_000)))


def on_off_ratio(*logs: str) -> None:
    """Command throughput with a part of the platform (the Kafka publisher, the hash chain) against without it,
    from the measured runs of one bench run in their order: without, with, without, ..., with, without. Each run
    with it is divided by the mean of the runs without it on either side (the JIT's warming favours whichever run
    comes later), and the mean of all runs with it by the mean of all runs without."""
    def ok_rps(log_path: str) -> float:
        return figure(parse_console(log_path), "mean throughput (rps)", 1, 0.0)
    rates = [ok_rps(path) for path in logs]
    offs = rates[0::2]
    ons = rates[1::2]
    for i, on in enumerate(ons):
        before = offs[i]
        after = offs[i + 1] if i + 1 < len(offs) else None
        around = before if after is None else (before + after) / 2
        print(f"  round {i + 1}         {on:.1f} with / {around:.1f} without ({before:.1f} before, "
              + ("none after" if after is None else f"{after:.1f} after") + ") = "
              + (f"{100 * on / around:.1f} %" if around else "n/a"))
    on = sum(ons) / len(ons) if ons else 0.0
    off = sum(offs) / len(offs) if offs else 0.0
    print(f"  with / without  {on:.1f} / {off:.1f} ok requests/s (mean of {len(ons)} runs with, {len(offs)} without)"
          + " = " + (f"{100 * on / off:.1f} %" if off else "n/a"))


def rebuild(base_url: str, tenant: str, secret: str, events: int, names) -> None:
    """Rebuilds each projection in turn; events/s = the tenant's events / the time until it is live again."""
    admin = Client(base_url, hs256_token(secret, "bench-admin", ["admin"], [tenant]))
    for name in names:
        started = time.monotonic()
        status, answer = admin.post(f"/api/v1/{tenant}/projections/{name}/rebuild", {})
        if status != 202:
            raise SystemExit(f"POST .../projections/{name}/rebuild answered {status}: {answer}")
        last_print = 0.0
        seen_rebuilding = False
        while True:
            time.sleep(0.2)
            item = next((i for i in projections(admin, tenant) if i["name"] == name), None)
            if item is None:
                raise SystemExit(f"no projection {name} in GET /api/v1/{tenant}/projections")
            elapsed = time.monotonic() - started
            if not item["rebuilding"]:
                if not seen_rebuilding:
                    print(f"rebuild {name}: already done at the first look (0.2 s): the figure is a lower bound")
                break
            seen_rebuilding = True
            if elapsed - last_print >= 15:
                last_print = elapsed
                print(f"rebuild {name}: progress {item.get('progress')} after {elapsed:.0f} s", flush=True)
            if elapsed > 3600:
                raise SystemExit(f"rebuild {name}: not done after an hour")
        print(f"  rebuild {name:<13}{events} events in {elapsed:.1f} s = {events / elapsed:,.0f} events/s", flush=True)


def timed_get(client: "Client", path: str, accept: str = "application/json") -> tuple:
    """GETs path; answers (status, seconds to the last byte, NDJSON lines or the parsed JSON body). The body is
    read in chunks and NDJSON lines counted as they come, never held whole."""
    headers = {"Authorization": f"Bearer {client.token}", "Accept": accept}
    started = time.perf_counter()
    client.connection.request("GET", path, headers=headers)
    response = client.connection.getresponse()
    if accept == "application/x-ndjson" and response.status == 200:
        lines = 0
        while True:
            chunk = response.read(1 << 20)
            if not chunk:
                break
            lines += chunk.count(b"\n")
        return response.status, time.perf_counter() - started, lines
    text = response.read().decode("utf-8", "replace")
    elapsed = time.perf_counter() - started
    return response.status, elapsed, (json.loads(text) if text.strip().startswith("{") else text)


def audit(base_url: str, tenant: str, secret: str, patient_id: str, repeats: int, warmup: int) -> None:
    """The auditor's reads on the seeded store (issue 9): one patient's whole history (first page, NDJSON
    stream, chart as of now), the tenant's whole stream as NDJSON, and verify; each timed to the last byte on one
    keep-alive connection. The patient's reads run warmup times unmeasured first (a platform that has served
    auditors: a freshly started one is still compiling these paths), their first run printed as "cold"; the whole
    stream and verify, seconds each, run once unmeasured."""
    auditor = Client(base_url, hs256_token(secret, "bench-auditor", ["auditor"], [tenant]))
    auditor.connection.timeout = 600
    history = f"/api/v1/{tenant}/audit/patients/{patient_id}/events"
    now = datetime.now(timezone.utc).isoformat().replace("+00:00", "Z")

    def run(label: str, path: str, accept: str, count, per_second: bool, times: int, unmeasured: int) -> None:
        cold = None
        for _ in range(unmeasured):
            status, elapsed, answer = timed_get(auditor, path, accept)
            if status != 200:
                raise SystemExit(f"GET {path} answered {status}: {answer}")
            cold = elapsed if cold is None else cold
        seconds, counted = [], 0
        for _ in range(times):
            status, elapsed, answer = timed_get(auditor, path, accept)
            if status != 200:
                raise SystemExit(f"GET {path} answered {status}: {answer}")
            seconds.append(elapsed)
            counted = count(answer)
        seconds.sort()
        median = seconds[len(seconds) // 2]
        line = (f"  {label:<28}{counted:>10,} events  median {median * 1000:8.1f} ms  min {seconds[0] * 1000:8.1f} ms"
                f"  max {seconds[-1] * 1000:8.1f} ms  ({times} runs)")
        if per_second:
            line += f"  = {counted / median:,.0f} events/s"
        if unmeasured > 1:
            line += f"  (after {unmeasured} unmeasured; the first, cold: {cold * 1000:.1f} ms)"
        print(line, flush=True)

    patient_warmup = max(1, warmup)
    run("history, first page (1000)", history + "?limit=1000", "application/json",
        lambda a: len(a["items"]), False, repeats, patient_warmup)
    run("history, whole (NDJSON)", history, "application/x-ndjson", lambda lines: lines, True, repeats,
        patient_warmup)
    folded = timed_get(auditor, history, "application/x-ndjson")[2]
    run("chart as of now (folds all)", f"/api/v1/{tenant}/audit/patients/{patient_id}?asOf={now}",
        "application/json", lambda a: folded, False, repeats, patient_warmup)
    run("stream export (NDJSON)", f"/api/v1/{tenant}/audit/events", "application/x-ndjson",
        lambda lines: lines, True, max(1, repeats // 5), 1)
    run("verify", f"/api/v1/{tenant}/audit/verify", "application/json",
        lambda a: a["checkedEvents"] if a.get("valid") else fail(f"verify: {a}"), True, max(1, repeats // 5), 1)


def fail(message: str):
    raise SystemExit(message)


def scrape(base_url: str, secret: str, out_path: str) -> None:
    """Saves the platform's Prometheus metrics (GET /actuator/prometheus, role admin)."""
    admin = Client(base_url, hs256_token(secret, "bench-admin", ["admin"], ["*"]))
    headers = {"Authorization": f"Bearer {admin.token}", "Accept": "text/plain"}
    admin.connection.request("GET", "/actuator/prometheus", headers=headers)
    response = admin.connection.getresponse()
    text = response.read().decode("utf-8", "replace")
    if response.status != 200:
        raise SystemExit(f"GET /actuator/prometheus answered {response.status}")
    with open(out_path, "w", encoding="utf-8") as out:
        out.write(text)


BUCKET = re.compile(r'^(?P<name>[a-z_]+)_seconds_bucket\{(?P<labels>[^}]*)\} (?P<count>\S+)$')


def buckets(path: str, name: str, label: str) -> dict:
    """The cumulative buckets (upper bound in seconds -> count) of the timer name whose labels hold label."""
    found = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            match = BUCKET.match(line.strip())
            if match and match["name"] == name and label in match["labels"]:
                le = re.search(r'le="([^"]+)"', match["labels"])[1]
                found[float("inf") if le == "+Inf" else float(le)] = float(match["count"])
    return found


def percentiles(before_path: str, after_path: str, name: str, label: str):
    """(count, {q: "<= x ms"}) of the timer between two scrapes, each percentile given as the upper bound of its
    bucket; None when it recorded nothing in between."""
    before, after = buckets(before_path, name, label), buckets(after_path, name, label)
    bounds = sorted(after)
    counts = [after[b] - before.get(b, 0.0) for b in bounds]
    total = counts[-1] if counts else 0
    if total <= 0:
        return None
    def percentile(q: float) -> str:
        for bound, count in zip(bounds, counts):
            if count >= q * total:
                return "> 5 s" if bound == float("inf") else f"<= {bound * 1000:.2f} ms"
        return "?"
    return int(total), {q: percentile(q) for q in (0.5, 0.95, 0.99)}


def waits(before_path: str, after_path: str) -> None:
    """Prints how long the reads of a run waited for their access-log entries to be durable (the timer
    clinical.access_log.wait, result durable), and beside it how long the same reads' one round trip to Redis took
    (clinical.cache.lookup, the summary's): a server that keeps nothing on disk, reached from the same threads under
    the same load, so the part of the wait's tail that any round trip has on this machine shows. Prints nothing for
    a timer that recorded nothing in the run."""
    for timer, label, text in (
            ("clinical.access_log.wait", 'result="durable"', "access log wait {n:,} reads waited for their entry"),
            ("clinical.cache.lookup", 'cache="summary"', "redis lookup    {n:,} round trips to Redis of the same reads")):
        found = percentiles(before_path, after_path, timer.replace(".", "_"), label)
        if found:
            n, p = found
            print(f"  {text.format(n=n)}: p50 {p[0.5]}, p95 {p[0.95]}, p99 {p[0.99]} ({timer} histogram buckets)")


# ----------------------------------------------------------------------------------------------------- cpu

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def process_times() -> dict:
    """pid -> (group key inputs, utime+stime ticks) for every process we can read."""
    times = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read().decode("utf-8", "replace")
            with open(f"/proc/{entry}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()
        ticks = int(fields[11]) + int(fields[12])  # utime + stime
        times[int(entry)] = (comm, cmdline, ticks, int(fields[1]))
    return times


def descends_from(pid: int, root: int, table: dict) -> bool:
    for _ in range(64):
        if pid == root:
            return True
        entry = table.get(pid)
        if entry is None or entry[3] <= 1:
            return False
        pid = entry[3]
    return False


def classify(pid: int, comm: str, cmdline: str, platform_pid: int, bench_root: int, table: dict,
             bench_db: str = "") -> str:
    if pid == platform_pid:
        return os.environ.get("BENCH_SERVER_LABEL") or "platform JVM (incl. embedded Kafka)"
    if comm.startswith("postgres"):
        # backends show "postgres: 15/main: USER DATABASE HOST(PORT) STATE"
        if bench_db and f" {bench_db} " in cmdline:
            return "postgres (bench database)"
        if re.search(r"\(\d+\)|\[local\]", cmdline):
            return "postgres (other databases: not the bench)"
        return "postgres (shared: wal writer, checkpointer...)"
    if descends_from(pid, bench_root, table):
        return "gatling JVM" if "gatling" in cmdline.lower() and "plexus-classworlds" not in cmdline \
            else "bench maven"
    if comm.startswith("redis"):
        return "redis"
    if "plexus-classworlds" in cmdline or comm in ("javac", "mvn") or "surefire" in cmdline:
        return "other builds/tests (not the bench)"
    return "other"


def machine_busy(seconds: float) -> float:
    """Percentage of the machine's CPU time that was busy over the next few seconds."""
    start = machine_ticks()
    time.sleep(seconds)
    end = machine_ticks()
    total = end[0] - start[0]
    return round(100.0 * (total - (end[1] - start[1])) / total, 1) if total else 0.0


def machine_ticks() -> tuple:
    with open("/proc/stat") as f:
        fields = [int(x) for x in f.readline().split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return sum(fields), idle, fields[4]


def thread_times(pid: int) -> dict:
    """tid -> (thread name with its numbers folded to #, utime+stime ticks) for one process's threads."""
    threads = {}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return threads
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat", "rb") as f:
                stat = f.read().decode("utf-8", "replace")
        except OSError:
            continue
        name = re.sub(r"\d+", "#", stat[stat.index("(") + 1:stat.rindex(")")])
        if name.startswith("http-nio"):
            name = "http-nio-*-exec (Tomcat)"  # the kernel keeps 15 characters of a thread name
        fields = stat[stat.rindex(")") + 2:].split()
        threads[int(tid)] = (name, int(fields[11]) + int(fields[12]))
    return threads


def cpu(platform_pid: int, bench_root: int, out_json: str, max_seconds: float, bench_db: str = "") -> None:
    stop = {"now": False}
    signal.signal(signal.SIGTERM, lambda *_: stop.update(now=True))
    signal.signal(signal.SIGINT, lambda *_: stop.update(now=True))
    groups, others, platform_threads = {}, {}, {}
    start = time.monotonic()
    previous = process_times()
    previous_threads = thread_times(platform_pid)
    machine_start = machine_ticks()
    machine_end = machine_start
    elapsed = 0.0
    while not stop["now"] and time.monotonic() - start < max_seconds:
        for _ in range(20):  # 2 s, in small steps to stop quickly
            if stop["now"]:
                break
            time.sleep(0.1)
        current = process_times()
        current_threads = thread_times(platform_pid)
        machine_end = machine_ticks()
        elapsed = time.monotonic() - start
        for pid, (comm, cmdline, ticks, _) in current.items():
            before = previous.get(pid)
            if before is None or before[0] != comm:
                continue  # a process born between two samples: its first interval is not counted
            delta = max(0, ticks - before[2])
            group = classify(pid, comm, cmdline, platform_pid, bench_root, current, bench_db)
            groups[group] = groups.get(group, 0) + delta
            if group.startswith("other"):
                others[comm] = others.get(comm, 0) + delta
        for tid, (name, ticks) in current_threads.items():
            before = previous_threads.get(tid)
            if before is not None:
                platform_threads[name] = platform_threads.get(name, 0) + max(0, ticks - before[1])
        previous, previous_threads = current, current_threads
    total = machine_end[0] - machine_start[0]
    idle = machine_end[1] - machine_start[1]
    iowait = machine_end[2] - machine_start[2]

    def cores(table: dict, top: int = 100) -> dict:
        ranked = sorted(table.items(), key=lambda kv: -kv[1])[:top]
        return {key: round(ticks / CLOCK_TICKS / elapsed, 2) if elapsed else 0.0 for key, ticks in ranked}

    result = {
        "seconds": round(elapsed, 1),
        "cores": os.cpu_count(),
        "machineBusyPercent": round(100.0 * (total - idle) / total, 1) if total else None,
        "iowaitPercent": round(100.0 * iowait / total, 1) if total else None,
        "coresUsed": cores(groups),
        "otherProcesses": cores(others, 8),
        "platformThreads": cores(platform_threads, 12),
    }
    with open(out_json, "w", encoding="utf-8") as out:
        json.dump(result, out, indent=2)


# ------------------------------------------------------------------------------------------------- summary

def parse_console(log_path: str) -> dict:
    """Gatling 3.14 writes no stats.json (its figures are inlined in index.html) and a binary simulation.log:
    the stable source is the console report at the end of the run ("Global Information"), plus the last
    periodic "Errors" block (cumulative)."""
    with open(log_path, encoding="utf-8", errors="replace") as f:
        text = f.read()
    start = text.rfind("---- Global Information")
    if start < 0:
        raise SystemExit(f"no Gatling report in {log_path}")
    figures = {}
    for line in text[start:].splitlines()[1:]:
        if not line.startswith("> "):
            if line.startswith("----") or line.startswith("===="):
                break
            continue
        label, _, rest = line[2:].partition("|")
        cells = [c.strip() for c in rest.split("|")]
        figures[label.strip()] = cells  # total, ok, ko
    errors = []
    errors_start = text.rfind("---- Errors", 0, start)
    if errors_start >= 0:
        for line in text[errors_start:start].splitlines()[1:]:
            if line.startswith("===="):
                break
            if line.startswith("> "):
                errors.append(" ".join(line[2:].split()))
    latencies = [line.strip() for line in text.splitlines() if line.startswith("latency ")]
    return {"figures": figures, "errors": errors, "latencies": latencies}


def figure(report: dict, label: str, column: int, missing: float) -> float:
    """One figure of a parse_console report (column 0 total, 1 ok, 2 ko); missing when Gatling printed none."""
    value = report["figures"].get(label, ["-", "-", "-"])[column]
    return missing if value in ("-", "") else float(value.replace(",", ""))


def summary(batch_size: int, log_path: str, cpu_json: str = None, ref_tps: str = "", ref_batch_rows: str = "") -> None:
    """The measured run's figures; with the reference of the same run (pgbench single-row commits/s with 16
    clients, rows/s in 1,000-row transactions), each throughput also as a ratio to it."""
    report = parse_console(log_path)

    def number(label: str, column: int = 0) -> float:
        return figure(report, label, column, 0.0)

    total = int(number("request count"))
    ok = int(number("request count", 1))
    ko = int(number("request count", 2))
    rps = number("mean throughput (rps)")
    ok_rps = number("mean throughput (rps)", 1)
    lines = [
        f"  requests        {total} ({ko} errors, {100.0 * ko / total if total else 0:.2f} %)",
        f"  requests/s      {rps:.1f} (ok: {ok_rps:.1f})",
        f"  response (ms)   p50 {number('response time 50th percentile (ms)'):.0f}"
        f"  p95 {number('response time 95th percentile (ms)'):.0f}"
        f"  p99 {number('response time 99th percentile (ms)'):.0f}"
        f"  max {number('max response time (ms)'):.0f}  mean {number('mean response time (ms)'):.0f}",
    ]
    if batch_size > 1:
        lines.append(f"  observations/s  {ok_rps * batch_size:.0f} (ok requests/s x batch size {batch_size})")
        if ref_batch_rows:
            lines.append(f"  ratio           {ok_rps * batch_size / float(ref_batch_rows):.3f}x PostgreSQL's rows/s in"
                         f" 1,000-row transactions ({float(ref_batch_rows):,.0f})")
    elif ref_tps:
        lines.append(f"  ratio           {ok_rps / float(ref_tps):.3f}x PostgreSQL's single-row commits/s with 16"
                     f" clients ({float(ref_tps):,.0f})")
    for line in report["latencies"]:
        lines.append(f"  {line}")
    for error in report["errors"][:5]:
        lines.append(f"  error           {error}")
    if cpu_json and os.path.exists(cpu_json):
        with open(cpu_json, encoding="utf-8") as fp:
            usage = json.load(fp)
        split = ", ".join(f"{group} {cores:.2f}" for group, cores in usage["coresUsed"].items() if cores >= 0.01)
        lines.append(f"  cpu             machine {usage['machineBusyPercent']} % busy of {usage['cores']} cores"
                     f" (iowait {usage['iowaitPercent']} %) over {usage['seconds']} s; cores used: {split}")
        if ok_rps > 0:
            lines.append(f"  cpu/request     {cpu_per(usage, ok_rps, 1000.0)} (ms of CPU per answered request, by"
                         f" process: its cores / requests/s)")
            if batch_size > 1:
                lines.append(f"  cpu/observation {cpu_per(usage, ok_rps * batch_size, 1e6)}"
                             f" (µs of CPU per observation)")
        threads = ", ".join(f"{name} {c:.2f}" for name, c in usage.get("platformThreads", {}).items() if c >= 0.02)
        if threads:
            lines.append(f"  platform thr.   {threads}")
        others = ", ".join(f"{name} {c:.2f}" for name, c in usage.get("otherProcesses", {}).items() if c >= 0.02)
        if others:
            lines.append(f"  other procs     {others}")
    print("\n".join(lines))


def cpu_per(usage: dict, per_second: float, unit: float) -> str:
    """Each process group's CPU per unit of work: its cores used over the run divided by the units per second,
    in ms (unit 1,000) or µs (unit 1,000,000)."""
    return ", ".join(f"{group} {cores * unit / per_second:.{2 if unit <= 1000 else 1}f}"
                     for group, cores in usage["coresUsed"].items() if cores >= 0.01)


LATENCY_LINE = re.compile(r"latency (?P<name>.+?) \(ms\): count (?P<count>\d+) p50 (?P<p50>\S+) p95 (?P<p95>\S+)"
                          r" p99 (?P<p99>\S+)")
REBUILD_LINE = re.compile(r"^  rebuild (?P<name>\S+)\s+(?P<events>\d+) events in (?P<seconds>\S+) s = (?P<rate>[\d,]+)"
                          r" events/s")


def targets(out_dir: str, ref_tps: str, ref_batch_rows: str, healthy_seconds: str, batch_size: int,
            lag_rate: str) -> None:
    """Issue 12's targets against this run's figures (benchmarks/run.sh targets), as a Markdown table: each
    throughput also as its ratio to the PostgreSQL reference measured in the same run, and whether it is met."""
    def console(label: str) -> dict:
        path = os.path.join(out_dir, f"gatling-{label}.log")
        return parse_console(path) if os.path.exists(path) else None

    def ok_rps(report: dict) -> float:
        return figure(report, "mean throughput (rps)", 1, float("nan"))

    def p99(report: dict) -> float:
        return figure(report, "response time 99th percentile (ms)", 0, float("nan"))

    tps = float(ref_tps) if ref_tps else float("nan")
    rows = float(ref_batch_rows) if ref_batch_rows else float("nan")
    table = []

    def row(target: str, measured: str, met) -> None:
        # a comparison with a reference this run did not measure (REFERENCE=0) is NaN: neither met nor missed
        known = met is not None and not (isinstance(met, float) and math.isnan(met))
        table.append((target, measured, ("**yes**" if met else "no") if known else "-"))

    def at_least(value: float, target: float):
        return None if math.isnan(value) else value >= target

    def ratio(value: float, reference: float) -> str:
        return "(no reference)" if math.isnan(reference) else f"= {value / reference:.3f}x"

    single, warm, one = console("single"), console("single-warm-up"), console("single-one-patient")
    if single:
        rate = ok_rps(single)
        row("single commands, 16 clients over 20 patients: >= 0.30x pgbench (16 clients)",
            f"{rate:,.1f}/s {ratio(rate, tps)}", at_least(rate / tps, 0.30))
        row("the same: p99 <= 30 ms", f"{p99(single):.0f} ms", p99(single) <= 30)
    if one:
        rate = ok_rps(one)
        row("16 clients on one patient (reported)", f"{rate:,.1f}/s {ratio(rate, tps)}, p99 {p99(one):.0f} ms", None)
    batch = console("batch")
    if batch:
        observations = ok_rps(batch) * batch_size
        row(f"batches of {batch_size}: >= 0.50x pgbench's rows/s in 1,000-row transactions",
            f"{observations:,.0f} observations/s {ratio(observations, rows)}", at_least(observations / rows, 0.50))
    summary_run = console("summary")
    if summary_run:
        rate = ok_rps(summary_run)
        row("cached summary, 16 clients: >= 1.5x pgbench (16 clients)", f"{rate:,.1f}/s {ratio(rate, tps)}",
            at_least(rate / tps, 1.5))
        row("the same: p99 <= 5 ms", f"{p99(summary_run):.0f} ms", p99(summary_run) <= 5)
    floor = console("summary-floor")
    if floor:
        rate = ok_rps(floor)
        row("the same load against a server that does no work (FLOOR=1, reported): what this machine allows",
            f"{rate:,.1f}/s {ratio(rate, tps)}, p99 {p99(floor):.0f} ms", None)
    lag = console("lag")
    if lag:
        lines = [LATENCY_LINE.match(line) for line in lag["latencies"]]
        found = next((m for m in lines if m and "lag" in m.group("name")), None)
        if found:
            value = float(found.group("p99"))
            row(f"projection lag p99 <= 100 ms at {lag_rate} events/s",
                f"{value:.0f} ms ({found.group('count')} probes)", value <= 100)
    rebuild_log = os.path.join(out_dir, "rebuild.log")
    if os.path.exists(rebuild_log):
        with open(rebuild_log, encoding="utf-8") as fp:
            rebuilt = [m for m in (REBUILD_LINE.match(line) for line in fp) if m]
        for m in rebuilt:
            rate = float(m.group("rate").replace(",", ""))
            row(f"rebuild >= 50,000 events/s: {m.group('name')}",
                f"{rate:,.0f} events/s ({int(m.group('events')):,} events)", rate >= 50_000)
    if healthy_seconds:
        row("start <= 10 s (launch to a healthy /actuator/health)", f"{float(healthy_seconds):.1f} s",
            float(healthy_seconds) <= 10)
    if single and warm:
        first, steady = ok_rps(warm), ok_rps(single)
        row("time to peak: the first run's rate (from the first command) >= 90 % of the measured run's",
            f"{first:,.1f}/s against {steady:,.1f}/s = {100 * first / steady:.0f} %", first / steady >= 0.9)
    if math.isnan(tps) or math.isnan(rows):
        print("  reference       none (REFERENCE=0): no ratios, and the targets set as ratios neither met nor missed")
    else:
        print(f"  reference       pgbench {tps:,.0f} single-row commits/s with 16 clients, {rows:,.0f} rows/s in"
              f" 1,000-row transactions")
    print("| target | measured | met |")
    print("|---|---|---|")
    for target, measured, met in table:
        print(f"| {target} | {measured} | {met} |")


def main(argv) -> None:
    if len(argv) < 2:
        raise SystemExit(__doc__)
    command, args = argv[1], argv[2:]
    if command == "setup":
        setup(args[0], args[1], args[2], int(args[3]), args[4], int(args[5]) if len(args) > 5 else 1)
    elif command == "fetch":
        fetch(args[0], args[1], args[2], args[3], args[4])
    elif command == "vitals":
        vitals(args[0], args[1], args[2], args[3])
    elif command == "catchup":
        catchup(args[0], args[1], args[2], float(args[3]), args[4:])
    elif command == "ratio":
        on_off_ratio(*args)
    elif command == "kafka-accepted":
        kafka_accepted(args[0], args[1], *(float(a) for a in args[2:3]))
    elif command == "kafka-catchup":
        kafka_catchup(args[0], args[1], args[2], float(args[3]))
    elif command == "rebuild":
        rebuild(args[0], args[1], args[2], int(args[3]), args[4:])
    elif command == "scrape":
        scrape(args[0], args[1], args[2])
    elif command == "waits":
        waits(args[0], args[1])
    elif command == "audit":
        audit(args[0], args[1], args[2], args[3], int(args[4]) if len(args) > 4 else 10,
              int(args[5]) if len(args) > 5 else 30)
    elif command == "cpu":
        cpu(int(args[0]), int(args[1]), args[2], float(args[3]), args[4] if len(args) > 4 else "")
    elif command == "busy":
        print(machine_busy(float(args[0]) if args else 3.0))
    elif command == "targets":
        targets(args[0], args[1], args[2], args[3], int(args[4]), args[5])
    elif command == "summary":
        summary(int(args[0]), args[1], args[2] if len(args) > 2 else None, args[3] if len(args) > 3 else "",
                args[4] if len(args) > 4 else "")
    else:
        raise SystemExit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
