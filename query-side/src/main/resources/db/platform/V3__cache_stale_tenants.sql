-- Tenants whose Redis cache eviction failed (PatientCache): every instance raises their cache epoch in Redis,
-- then deletes the row, before it reads Redis for them again. "marks" grows with every new failure, so a row
-- marked again while an instance raised the epoch is not deleted by that instance.
create table cache_stale_tenant (
    tenant_id text        primary key,
    marks     bigint      not null,
    marked_at timestamptz not null
);
