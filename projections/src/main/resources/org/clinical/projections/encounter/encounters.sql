-- Read model of the projection "encounters": encounters, where the patient was during each, who is in which
-- facility now (census) and encounters per UTC start day (analytics). Times come from the events.

create table encounter (
    encounter_id    uuid primary key,
    patient_id      uuid        not null,
    encounter_class text        not null,
    facility_id     uuid        not null,
    location        text,
    status          text        not null check (status in ('in-progress', 'finished', 'cancelled')),
    started_at      timestamptz not null,
    ended_at        timestamptz,
    reason          jsonb,
    disposition     text,
    version         bigint      not null
);

-- A patient's encounters newest first (keyset on started_at, encounter_id), and the patient's open one.
create index encounter_by_patient on encounter (patient_id, started_at desc, encounter_id desc);
create index encounter_open_by_patient on encounter (patient_id, started_at desc) where status = 'in-progress';

-- Where the patient was: one row per location, seq = the version of the event that moved them there.
create table encounter_location (
    encounter_id uuid        not null,
    seq          bigint      not null,
    location     text        not null,
    from_at      timestamptz not null,
    to_at        timestamptz,
    primary key (encounter_id, seq)
);

-- Open encounters only, so the census reads nothing else.
create table census (
    encounter_id    uuid primary key,
    patient_id      uuid        not null,
    encounter_class text        not null,
    facility_id     uuid        not null,
    location        text,
    started_at      timestamptz not null
);

create index census_by_facility on census (facility_id, location, started_at);

-- Encounters by UTC start day, facility and class; a cancellation takes its encounter out again.
create table encounter_daily (
    day             date   not null,
    facility_id     uuid   not null,
    encounter_class text   not null,
    count           bigint not null,
    primary key (day, facility_id, encounter_class)
);
