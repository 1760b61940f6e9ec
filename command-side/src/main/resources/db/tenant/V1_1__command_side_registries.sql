-- Command-side lookup tables: the set-based and cross-aggregate facts the rules need, written by the
-- command handlers in the same transaction as the events (never read models, which lag).

create table facility_registry (
    facility_id   uuid primary key,
    code          text        not null unique,
    name          text        not null,
    type          text        not null,
    beds          integer,
    registered_at timestamptz not null
);

create table patient_registry (
    patient_id uuid primary key,
    mrn        text not null unique,
    status     text not null check (status in ('active', 'merged', 'deceased'))
);

create table encounter_registry (
    encounter_id    uuid primary key,
    patient_id      uuid not null,
    facility_id     uuid not null,
    encounter_class text not null,
    status          text not null check (status in ('in-progress', 'finished', 'cancelled'))
);

-- At most one open inpatient stay per patient, even under concurrent admissions.
create unique index encounter_registry_one_open_inpatient_stay
    on encounter_registry (patient_id) where encounter_class = 'IMP' and status = 'in-progress';
