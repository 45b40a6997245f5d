-- Who notifications go to, kept from auth's user events (email, name) and preferences (zone).
CREATE TABLE recipients (
    user_id text PRIMARY KEY,
    email text,
    name text NOT NULL DEFAULT '',
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- The in-app inbox. `position` orders it (cursor pagination); the idempotency key makes a
-- redelivered event or a retried call store one item.
CREATE TABLE notifications (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    position bigint GENERATED ALWAYS AS IDENTITY UNIQUE,
    user_id text NOT NULL,
    category text NOT NULL,
    kind text NOT NULL,
    title text NOT NULL,
    body text NOT NULL,
    data jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(data) = 'object'),
    idempotency_key text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    seen_at timestamptz,
    read_at timestamptz,
    archived_at timestamptz,
    snoozed_until timestamptz,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX notifications_inbox ON notifications (user_id, position DESC);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL AND archived_at IS NULL;

-- Per user: channels per category ({"orders": {"in_app": true, "email": false}}), quiet hours.
CREATE TABLE preferences (
    user_id text PRIMARY KEY,
    channels jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(channels) = 'object'),
    quiet_start text CHECK (quiet_start ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    quiet_end text CHECK (quiet_end ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    time_zone text NOT NULL DEFAULT 'UTC',
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Emails to send: a queue with retries and backoff, one per recipient and idempotency key.
CREATE TABLE email_deliveries (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id text NOT NULL,
    idempotency_key text NOT NULL,
    recipient text NOT NULL,
    subject text NOT NULL,
    text_body text NOT NULL,
    html_body text,
    status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'sent', 'failed')),
    attempts integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    sent_at timestamptz,
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX email_deliveries_due ON email_deliveries (next_attempt_at) WHERE status = 'queued';

-- Every attempt to send an email, for the delivery log.
CREATE TABLE email_attempts (
    delivery_id uuid NOT NULL REFERENCES email_deliveries (id) ON DELETE CASCADE,
    attempt integer NOT NULL,
    attempted_at timestamptz NOT NULL DEFAULT now(),
    outcome text NOT NULL CHECK (outcome IN ('sent', 'failed')),
    detail text,
    PRIMARY KEY (delivery_id, attempt)
);

-- Scheduled reminders at a local time, on some or all days, in an IANA zone. `source`
-- names the entity of another service that owns it (`habit:<id>`).
CREATE TABLE reminders (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id text NOT NULL,
    source text,
    title text NOT NULL,
    local_time text NOT NULL CHECK (local_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    days text[] NOT NULL DEFAULT '{}',
    time_zone text NOT NULL,
    next_fire_at timestamptz NOT NULL,
    last_fired_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, source)
);
CREATE INDEX reminders_due ON reminders (next_fire_at);
CREATE INDEX reminders_by_user ON reminders (user_id, created_at);
