-- Test only: the read model of ProbeProjection, which proves the per-tenant processors.
create table probe_patient (
    patient_id uuid primary key,
    mrn        text   not null,
    position   bigint not null
);
