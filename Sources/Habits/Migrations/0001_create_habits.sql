-- Habits, their check-ins, and the spans they were archived (which pause their streaks).
-- Days are the owner's local dates in the habit's time zone, computed by the service.
CREATE TABLE habits (
    id uuid PRIMARY KEY,
    owner_id text NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text CHECK (length(description) <= 500),
    schedule jsonb NOT NULL CHECK (schedule ? 'type'),
    target integer NOT NULL DEFAULT 1 CHECK (target BETWEEN 1 AND 100000),
    unit text CHECK (length(unit) BETWEEN 1 AND 30),
    reminder_time text CHECK (reminder_time ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$'),
    timezone text NOT NULL,
    color text CHECK (color ~ '^#[0-9a-f]{6}$'),
    icon text CHECK (length(icon) BETWEEN 1 AND 50),
    -- The local day it was created: every-N-days windows count from here.
    created_on date NOT NULL,
    archived_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX habits_by_owner ON habits (owner_id, archived_at, created_at, id);

CREATE TABLE check_ins (
    habit_id uuid NOT NULL REFERENCES habits (id) ON DELETE CASCADE,
    date date NOT NULL,
    value integer NOT NULL CHECK (value BETWEEN 1 AND 100000),
    note text CHECK (length(note) <= 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (habit_id, date)
);

-- [starts_on, ends_on): the habit was archived; ends_on is NULL while it still is.
CREATE TABLE habit_pauses (
    habit_id uuid NOT NULL REFERENCES habits (id) ON DELETE CASCADE,
    starts_on date NOT NULL,
    ends_on date CHECK (ends_on >= starts_on),
    PRIMARY KEY (habit_id, starts_on)
);
CREATE UNIQUE INDEX habit_pauses_one_open ON habit_pauses (habit_id) WHERE ends_on IS NULL;
