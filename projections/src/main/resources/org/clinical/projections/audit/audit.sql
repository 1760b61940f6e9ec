-- Read model of the projection "audit": what the tenant's event store cannot answer quickly for a patient's
-- history. The events themselves are read from the store (domain_event_entry), never copied here.

-- The patient each aggregate is about: a patient itself, an encounter or an observation its patient, from
-- the aggregate's first event. A patient's history is the events of the aggregates mapped to it.
create table audit_subject (
    aggregate_id text primary key,
    patient_id   uuid not null
);
create index audit_subject_patient on audit_subject (patient_id);

-- Patients merged into another: their events stay theirs and appear in the survivor's history too.
create table patient_merge (
    merged_id   uuid primary key,
    survivor_id uuid not null
);
create index patient_merge_survivor on patient_merge (survivor_id);

-- Every event about a patient, by position: the patient's history is a range of this primary key, and each
-- event is then read from the store. Written for each event of an aggregate mapped in audit_subject, from the
-- subject's row (the aggregate's first event maps it, in the same batch or before).
-- row_ref is where the event's row was in the store when this row was written (its ctid): a history reads the
-- event there, one heap page, instead of walking the store's primary key (three index pages more per event).
-- The store is insert-only (its trigger refuses UPDATE and DELETE), so a committed event stays where it is, until
-- something rewrites the whole table (VACUUM FULL, CLUSTER, pg_repack, a dump restored); the read then checks
-- that the row found there is the event of that position, and reads by the primary key when it is not.
-- A history reads positions and row_ref from the index alone (an index-only scan) where the visibility map says
-- the rows are visible; a patient's rows are spread over the whole table, one heap page each otherwise. The
-- table is insert-only, so autovacuum is asked to set the map every 100,000 rows instead of every fifth of the
-- table.
create table audit_event (
    patient_id uuid   not null,
    position   bigint not null,
    row_ref    tid,
    primary key (patient_id, position) include (row_ref)
) with (autovacuum_vacuum_insert_threshold = 100000, autovacuum_vacuum_insert_scale_factor = 0);
