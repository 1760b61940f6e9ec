-- Seeds ObservationRecorded events straight into a tenant's event store, in the exact stored form of the
-- platform's own events (see patients.sql), for the read-side benchmarks (READ_SIDE.md).
--
-- Observation j in [:first, :first + :count) belongs to a patient seeded by patients.sql (patient 1 to
-- :patients, spread by a hash of j) and to that patient's encounter and facility. It is one of 8 quantity
-- codes (4 vital signs, 4 laboratory results, equally often), with a value drawn in a plausible range for the
-- code, and an effectiveAt spread evenly over the :days days before today (UTC, whole seconds). Events come in
-- commands of 1,000, as a batch request stores them: one correlation, causation and recording time per 1,000;
-- each observation is sequence 0 of a new stream with a random id. One transaction per call: run.sh calls it
-- per chunk, one chunk after the other (see patients.sql).
--
--   psql -v schema=t_bench -v tenant=bench -v first=1 -v count=500000 -v patients=100000 -v days=365 \
--        -v facilities='{<uuid>,<uuid>}' -f benchmarks/seed/observations.sql
\set ON_ERROR_STOP on
begin;
set local search_path = :schema;
set local work_mem = '1GB';

create function pg_temp.seed_uuid(text) returns text language sql immutable
    as $$ select overlay(overlay(md5($1) placing '4' from 13) placing '8' from 17)::uuid::text $$;

-- What depends on the patient only, computed once per patient rather than once per observation.
create temporary table seed_patient on commit drop as
select p, '","patientId":"' || pg_temp.seed_uuid('seed-patient-' || :'tenant' || '-' || p)
          || '","encounterId":"' || pg_temp.seed_uuid('seed-encounter-' || :'tenant' || '-' || p)
          || '","facilityId":"' || (:'facilities'::text[])[1 + p % cardinality(:'facilities'::text[])]
          || '","code":{"system":"http://loinc.org","code":"' as fragment
from generate_series(1, :patients::bigint) as p;
analyze seed_patient;

-- What depends on the command (1,000 observations) only.
create temporary table seed_command on commit drop as
select b,
       to_char((now() at time zone 'UTC') + make_interval(secs => (b - :first::bigint / 1000) / 1e3),
               'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as time_stamp,
       convert_to('{"actor":"bench-seed","causationId":"' || pg_temp.seed_uuid('seed-causation-' || :'tenant' || '-' || b)
                  || '","correlationId":"' || pg_temp.seed_uuid('seed-correlation-' || :'tenant' || '-' || b)
                  || '","tenant":"' || :'tenant' || '"}', 'UTF8') as meta_data
from generate_series(:first::bigint / 1000, (:first::bigint + :count::bigint - 1) / 1000) as b;
analyze seed_command;

create temporary table seed_code on commit drop as
select * from (values
    (0, '8867-4',  'Heart rate',                                   'vital-signs', '/min',   45.0, 130.0, '{"low":60,"high":100}'),
    (1, '9279-1',  'Respiratory rate',                             'vital-signs', '/min',    8.0,  30.0, '{"low":12,"high":20}'),
    (2, '8310-5',  'Body temperature',                             'vital-signs', 'Cel',    35.0,  40.0, '{"low":36.1,"high":37.8}'),
    (3, '59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', 'vital-signs', '%', 85.0, 100.0, '{"low":94,"high":100}'),
    (4, '15074-8', 'Glucose [Moles/volume] in Blood',              'laboratory',  'mmol/L',  3.0,  15.0, '{"low":3.9,"high":7.8}'),
    (5, '2823-3',  'Potassium [Moles/volume] in Serum or Plasma',  'laboratory',  'mmol/L',  2.8,   6.5, '{"low":3.5,"high":5.1}'),
    (6, '2160-0',  'Creatinine [Mass/volume] in Serum or Plasma',  'laboratory',  'mg/dL',   0.4,   3.0, '{"low":0.6,"high":1.3}'),
    (7, '29463-7', 'Body weight',                                  'vital-signs', 'kg',     40.0, 140.0, 'null')
) as codes (c, code, display, category, unit, low_value, high_value, reference_range);

insert into domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                                payload_type, payload_revision, payload, meta_data)
select gen_random_uuid()::text, o.observation_id, 0, 'Observation', m.time_stamp,
       'ObservationRecorded', '1',
       convert_to('{"observationId":"' || o.observation_id || s.fragment
                  || c.code || '","display":"' || c.display || '"},"category":"' || c.category
                  || '","effectiveAt":"'
                  || to_char(o.today - make_interval(secs => abs(hashint8(o.j * 5)) % (:days::bigint * 86400)),
                             'YYYY-MM-DD"T"HH24:MI:SS"Z"')
                  || '","value":{"quantity":{"value":'
                  || round(c.low_value + (abs(hashint8(o.j * 7)) % 10000) / 10000.0 * (c.high_value - c.low_value), 1)
                  || ',"unit":"' || c.unit || '"}},"referenceRange":' || c.reference_range || '}', 'UTF8'),
       m.meta_data
from (
    select j,
           gen_random_uuid()::text as observation_id,
           1 + abs(hashint8(j)) % :patients::bigint as p,
           abs(hashint8(j * 3)) % 8 as c,
           j / 1000 as b,
           date_trunc('day', now() at time zone 'UTC') as today
    from generate_series(:first::bigint, :first::bigint + :count::bigint - 1) as j
) as o
join seed_patient s on s.p = o.p
join seed_code c on c.c = o.c
join seed_command m on m.b = o.b
order by o.j;

commit;
