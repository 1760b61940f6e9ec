-- Idempotency-Key of accepted commands, written in the same transaction as their events.
create table idempotency_key (
    key          text primary key,
    request_hash text        not null,
    response     jsonb       not null,
    created_at   timestamptz not null default now()
);

create index idempotency_key_created_at on idempotency_key (created_at);
