-- Projects, their members, workflow states, labels and milestones, and a projection of the
-- tasks service's tasks (from task events) that the stats are computed from.
CREATE TABLE projects (
    id uuid PRIMARY KEY,
    key text NOT NULL UNIQUE CHECK (key ~ '^[A-Z]{2,10}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text CHECK (length(description) <= 2000),
    owner_id text NOT NULL,
    settings jsonb NOT NULL DEFAULT '{}',
    archived_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE project_members (
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    user_id text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'viewer')),
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (project_id, user_id)
);
CREATE INDEX project_members_by_user ON project_members (user_id);

CREATE TABLE project_states (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    state_group text NOT NULL CHECK (state_group IN ('backlog', 'unstarted', 'started', 'completed', 'cancelled')),
    position integer NOT NULL,
    is_default boolean NOT NULL DEFAULT false,
    color text CHECK (color ~ '^#[0-9a-f]{6}$')
);
CREATE UNIQUE INDEX project_states_name ON project_states (project_id, lower(name));
-- Exactly one default per project: at most one here, at least one kept by the service.
CREATE UNIQUE INDEX project_states_one_default ON project_states (project_id) WHERE is_default;

CREATE TABLE project_labels (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 50),
    color text NOT NULL CHECK (color ~ '^#[0-9a-f]{6}$')
);
CREATE UNIQUE INDEX project_labels_name ON project_labels (project_id, lower(name));

CREATE TABLE milestones (
    id uuid PRIMARY KEY,
    project_id uuid NOT NULL REFERENCES projects (id) ON DELETE CASCADE,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    due_on date,
    state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed')),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX milestones_name ON milestones (project_id, lower(name));

-- The tasks service's tasks as their events describe them: only what the stats read.
CREATE TABLE task_projection (
    task_id uuid PRIMARY KEY,
    project_id uuid NOT NULL,
    state_id uuid,
    state_group text NOT NULL,
    due_on date,
    completed_at timestamptz,
    -- The event's occurred_at, so an older event never overwrites a newer one.
    as_of timestamptz NOT NULL
);
CREATE INDEX task_projection_by_project ON task_projection (project_id, state_group);
