create or replace view {a}.probe_patients as
select patient_id, mrn from {rm}.probe_patient;
