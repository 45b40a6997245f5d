-- Time entries (a running timer is an entry without an end), per-project settings and
-- rates, timesheets per user and ISO week, and the time zones people chose in users.
CREATE TABLE time_entries (
    id uuid PRIMARY KEY,
    user_id text NOT NULL,
    project_id uuid NOT NULL,
    project_key text NOT NULL,
    task_ref text,
    description text NOT NULL DEFAULT '' CHECK (length(description) <= 1000),
    billable boolean NOT NULL DEFAULT true,
    tags text[] NOT NULL DEFAULT '{}',
    -- As worked (or typed): what overlaps and timers go by.
    started_at timestamptz NOT NULL,
    ended_at timestamptz CHECK (ended_at >= started_at),
    -- Set when the entry stops: the rounded times, the seconds between them (what reports
    -- and costs count), and the cost at the rate that applied.
    rounded_started_at timestamptz,
    rounded_ended_at timestamptz,
    duration_seconds integer CHECK (duration_seconds >= 0),
    hourly_rate numeric(12, 2),
    cost numeric(14, 2),
    -- The Monday of the entry's ISO week in its owner's zone: the timesheet it belongs to.
    week date NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX time_entries_by_user ON time_entries (user_id, started_at DESC);
CREATE INDEX time_entries_by_project ON time_entries (project_id, started_at);
CREATE INDEX time_entries_running ON time_entries (user_id) WHERE ended_at IS NULL;

-- A project's hourly rate and rounding (nulls: none, or the service's global rounding).
CREATE TABLE project_settings (
    project_id uuid PRIMARY KEY,
    project_key text NOT NULL,
    hourly_rate numeric(12, 2) CHECK (hourly_rate >= 0),
    rounding_minutes integer CHECK (rounding_minutes BETWEEN 1 AND 60),
    rounding_mode text CHECK (rounding_mode IN ('default', 'closest', 'floor', 'ceil'))
);

-- A person's hourly rate in one project, which wins over the project's.
CREATE TABLE user_rates (
    project_id uuid NOT NULL,
    user_id text NOT NULL,
    hourly_rate numeric(12, 2) NOT NULL CHECK (hourly_rate >= 0),
    PRIMARY KEY (project_id, user_id)
);

-- Only weeks that left `draft` have a row.
CREATE TABLE timesheets (
    user_id text NOT NULL,
    week date NOT NULL CHECK (extract(isodow FROM week) = 1),
    status text NOT NULL CHECK (status IN ('draft', 'submitted', 'approved', 'rejected')),
    submitted_at timestamptz,
    decided_by text,
    decided_at timestamptz,
    comment text CHECK (length(comment) <= 2000),
    -- Who may approve it: the other admins of its projects when it was submitted.
    approvers text[] NOT NULL DEFAULT '{}',
    PRIMARY KEY (user_id, week)
);
CREATE INDEX timesheets_submitted ON timesheets (week) WHERE status = 'submitted';

-- From users' events: the zone days, weeks and reports are counted in (UTC until set).
CREATE TABLE user_zones (
    user_id text PRIMARY KEY,
    time_zone text NOT NULL
);
