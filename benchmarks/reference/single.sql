-- One event per transaction (pgbench commits each script run): an ObservationRecorded-sized row.
insert into ref_event_entry (event_identifier, aggregate_identifier, sequence_number, type, time_stamp,
                             payload_type, payload_revision, payload, meta_data)
values (gen_random_uuid()::text, gen_random_uuid()::text, 0, 'Observation',
        (clock_timestamp() at time zone 'UTC')::text, 'ObservationRecorded', '1',
        convert_to(repeat('{"observationId":"00000000-0000-0000-0000-000000000000","value":72}', 6), 'UTF8'),
        convert_to(repeat('{"tenant":"bench","actor":"bench-user","correlationId":"x"}', 3), 'UTF8'));
