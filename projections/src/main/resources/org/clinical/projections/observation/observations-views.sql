-- Analysts' views over the live generation of the observations read model.
create or replace view {a}.observations as
select observation_id, patient_id, encounter_id, facility_id, code_system, code, code_display, category,
       effective_at, value, value_num, unit, range_low, range_high, interpretation, status, version,
       recorded_at, updated_at, amendment_reason, error_reason
from {rm}.observation;

-- Quantity values per code, unit, UTC day and facility (entered-in-error excluded, amendments applied);
-- panel components count under their component code.
create or replace view {a}.observation_daily_stats as
select code_system, code, unit, day, facility_id, count, sum, min, max,
       case when count > 0 then sum / count end as mean
from {rm}.observation_stat;
