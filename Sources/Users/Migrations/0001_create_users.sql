-- Profiles (one per auth account, keyed by its `sub`), organizations with their members,
-- teams and invitations.
CREATE TABLE profiles (
    user_id text PRIMARY KEY,
    -- Unique whatever its case, used for @mentions.
    handle text NOT NULL CHECK (handle ~ '^[a-z0-9](?:[a-z0-9_-]{0,37}[a-z0-9])?$'),
    email text NOT NULL,
    display_name text NOT NULL CHECK (length(display_name) BETWEEN 1 AND 100),
    avatar_url text CHECK (length(avatar_url) <= 500),
    time_zone text NOT NULL DEFAULT 'UTC',
    locale text NOT NULL DEFAULT 'en',
    bio text CHECK (length(bio) <= 1000),
    preferences jsonb NOT NULL DEFAULT '{}',
    deactivated_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX profiles_handle ON profiles (handle);
CREATE INDEX profiles_email ON profiles (lower(email));

CREATE TABLE organizations (
    id uuid PRIMARY KEY,
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE organization_members (
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
    joined_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organization_id, user_id)
);
CREATE INDEX organization_members_by_user ON organization_members (user_id);

CREATE TABLE teams (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    slug text NOT NULL CHECK (slug ~ '^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    description text CHECK (length(description) <= 500),
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (organization_id, slug)
);

-- A team's members belong to its organization: the foreign key makes it so, and leaving
-- the organization leaves its teams.
CREATE TABLE team_members (
    team_id uuid NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
    organization_id uuid NOT NULL,
    user_id text NOT NULL,
    added_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (team_id, user_id),
    FOREIGN KEY (organization_id, user_id) REFERENCES organization_members (organization_id, user_id) ON DELETE CASCADE
);

-- Only a SHA-256 of each token is kept; the token itself is shown once, to the inviter.
CREATE TABLE invitations (
    id uuid PRIMARY KEY,
    organization_id uuid NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email text NOT NULL,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'member', 'guest')),
    token_sha256 text NOT NULL UNIQUE,
    invited_by text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'accepted', 'declined', 'revoked', 'replaced')),
    expires_at timestamptz NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    responded_at timestamptz,
    accepted_by text
);
-- At most one pending invitation per address and organization: re-inviting replaces it.
CREATE UNIQUE INDEX invitations_one_pending ON invitations (organization_id, lower(email)) WHERE status = 'pending';
