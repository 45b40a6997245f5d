-- Files attached to entities of other services (`task:WEB-142`), their versions, the
-- content-addressed blobs the versions point at, shares with people and share links, and
-- resumable (tus) uploads in progress.
CREATE TABLE blobs (
    sha256 text PRIMARY KEY CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    size bigint NOT NULL CHECK (size >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    -- Bumped by every upload of this content: garbage collection spares a blob used lately,
    -- and an upload racing the collector bumps it under the row's lock.
    last_used_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX blobs_by_last_use ON blobs (last_used_at);

CREATE TABLE files (
    id uuid PRIMARY KEY,
    position bigserial NOT NULL UNIQUE,
    entity text NOT NULL,
    project text NOT NULL,
    uploader_id text NOT NULL,
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 255),
    content_type text NOT NULL,
    size bigint NOT NULL,
    sha256 text NOT NULL,
    version integer NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX files_by_entity ON files (entity, position);
CREATE INDEX files_by_project ON files (project);
CREATE INDEX files_by_uploader ON files (uploader_id);

CREATE TABLE file_versions (
    file_id uuid NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    number integer NOT NULL,
    sha256 text NOT NULL REFERENCES blobs (sha256),
    size bigint NOT NULL,
    name text NOT NULL,
    content_type text NOT NULL,
    uploader_id text NOT NULL,
    -- Every version counts against its uploader's and its project's quota.
    project text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (file_id, number)
);
CREATE INDEX file_versions_by_blob ON file_versions (sha256);
CREATE INDEX file_versions_by_uploader ON file_versions (uploader_id);
CREATE INDEX file_versions_by_project ON file_versions (project);

CREATE TABLE file_shares (
    file_id uuid NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    user_id text NOT NULL,
    permissions text[] NOT NULL CHECK (permissions <@ ARRAY['read', 'update', 'delete', 'share'] AND cardinality(permissions) > 0),
    shared_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (file_id, user_id)
);
CREATE INDEX file_shares_by_user ON file_shares (user_id);

CREATE TABLE share_links (
    id uuid PRIMARY KEY,
    file_id uuid NOT NULL REFERENCES files (id) ON DELETE CASCADE,
    token_hash bytea NOT NULL UNIQUE,
    created_by text NOT NULL,
    expires_at timestamptz,
    password_hash text,
    max_downloads integer CHECK (max_downloads > 0),
    downloads integer NOT NULL DEFAULT 0,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX share_links_by_file ON share_links (file_id);

CREATE TABLE uploads (
    id uuid PRIMARY KEY,
    user_id text NOT NULL,
    entity text NOT NULL,
    project text NOT NULL,
    -- Set when the upload is a new version of an existing file.
    file_id uuid REFERENCES files (id) ON DELETE CASCADE,
    name text NOT NULL,
    content_type text,
    length bigint NOT NULL CHECK (length >= 0),
    "offset" bigint NOT NULL DEFAULT 0 CHECK ("offset" >= 0 AND "offset" <= length),
    -- The file (or version) the finished upload became.
    completed_file_id uuid,
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX uploads_by_expiry ON uploads (expires_at);
