-- 1,000 events in one transaction, one statement: what a batch of observations costs PostgreSQL at best.
insert into ref_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                             payload_type, payload_revision, payload, meta_data)
select gen_random_uuid()::text, gen_random_uuid()::text, 0, 'Observation',
       (clock_timestamp() at time zone 'UTC')::text, 'ObservationRecorded', '1',
       convert_to(repeat('{"observationId":"00000000-0000-0000-0000-000000000000","value":72}', 6), 'UTF8'),
       convert_to(repeat('{"tenant":"bench","actor":"bench-user","correlationId":"x"}', 3), 'UTF8')
from generate_series(1, 1000);
