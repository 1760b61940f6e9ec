-- Tenant ids claimed across regions. Only the default region's copy is used (TenantClaims): every instance of
-- every region agrees on one table, so one id is created once, whatever the region. A claim commits only
-- once its tenant's TenantCreated is stored.
create table tenant_claim (
    id         text primary key,
    region     text        not null,
    claimed_at timestamptz not null default now()
);
