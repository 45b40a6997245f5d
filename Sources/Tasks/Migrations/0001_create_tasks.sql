-- Tasks: project tasks (key WEB-142 from a per-project sequence that never goes back) and
-- personal tasks (no project, owned by their creator); assignees, labels, dependencies and
-- relations kept apart, recurrence, and an append-only activity log.
CREATE TABLE project_sequences (
    project_id uuid PRIMARY KEY,
    last_number integer NOT NULL
);

CREATE TABLE tasks (
    id uuid PRIMARY KEY,
    project_id uuid,
    project_key text,
    number integer,
    key text UNIQUE,
    owner_id text NOT NULL,
    title text NOT NULL CHECK (length(title) BETWEEN 1 AND 500),
    description text CHECK (length(description) <= 50000),
    state_id uuid,
    state_group text NOT NULL CHECK (state_group IN ('backlog', 'unstarted', 'started', 'completed', 'cancelled')),
    priority text NOT NULL DEFAULT 'none' CHECK (priority IN ('urgent', 'high', 'medium', 'low', 'none')),
    priority_rank smallint GENERATED ALWAYS AS (
        CASE priority WHEN 'urgent' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END) STORED,
    start_on date,
    due_on date,
    estimate_value integer CHECK (estimate_value BETWEEN 0 AND 100000),
    estimate_unit text CHECK (estimate_unit IN ('points', 'minutes')),
    parent_id uuid REFERENCES tasks (id) ON DELETE SET NULL,
    repeat jsonb,
    -- The task this one is the next occurrence of: unique, so a completion makes at most one.
    recurrence_of uuid UNIQUE REFERENCES tasks (id) ON DELETE SET NULL,
    completed_at timestamptz,
    external_source text CHECK (length(external_source) BETWEEN 1 AND 50),
    external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
    version integer NOT NULL DEFAULT 1,
    search tsvector GENERATED ALWAYS AS (to_tsvector('english', title || ' ' || coalesce(description, ''))) STORED,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CHECK ((project_id IS NULL) = (key IS NULL)),
    CHECK (start_on IS NULL OR due_on IS NULL OR start_on <= due_on),
    CHECK ((estimate_value IS NULL) = (estimate_unit IS NULL)),
    UNIQUE (external_source, external_id)
);
CREATE INDEX tasks_by_project ON tasks (project_id, updated_at DESC, id DESC);
CREATE INDEX tasks_personal ON tasks (owner_id, updated_at DESC, id DESC) WHERE project_id IS NULL;
CREATE INDEX tasks_by_parent ON tasks (parent_id) WHERE parent_id IS NOT NULL;
CREATE INDEX tasks_search ON tasks USING gin (search);

CREATE TABLE task_assignees (
    task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    user_id text NOT NULL,
    PRIMARY KEY (task_id, user_id)
);
CREATE INDEX task_assignees_by_user ON task_assignees (user_id);

CREATE TABLE task_labels (
    task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    label_id uuid NOT NULL,
    PRIMARY KEY (task_id, label_id)
);
CREATE INDEX task_labels_by_label ON task_labels (label_id);

-- blocker blocks blocked; one dependency per pair of tasks, whichever way round.
CREATE TABLE task_dependencies (
    blocker_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    blocked_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (blocker_id, blocked_id),
    CHECK (blocker_id <> blocked_id)
);
CREATE UNIQUE INDEX task_dependencies_one_per_pair ON task_dependencies (LEAST(blocker_id, blocked_id), GREATEST(blocker_id, blocked_id));
CREATE INDEX task_dependencies_by_blocked ON task_dependencies (blocked_id);

-- relates_to is symmetric (stored once, lower id first); duplicate_of points at the original.
CREATE TABLE task_relations (
    task_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    related_id uuid NOT NULL REFERENCES tasks (id) ON DELETE CASCADE,
    kind text NOT NULL CHECK (kind IN ('relates_to', 'duplicate_of')),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (task_id, related_id, kind),
    CHECK (task_id <> related_id),
    CHECK (kind <> 'relates_to' OR task_id < related_id)
);
CREATE INDEX task_relations_by_related ON task_relations (related_id);

-- Append-only: kept after the task is deleted.
CREATE TABLE task_activity (
    id bigserial PRIMARY KEY,
    task_id uuid NOT NULL,
    actor text NOT NULL,
    verb text NOT NULL,
    field text,
    old_value jsonb,
    new_value jsonb,
    at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX task_activity_by_task ON task_activity (task_id, id);
