-- People who log in. Email is stored normalised (trimmed, lower case) and unique.
CREATE TABLE users (
    id uuid PRIMARY KEY,
    email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    password_hash text NOT NULL,
    roles text[] NOT NULL DEFAULT '{member}'
        CHECK (roles <@ ARRAY['admin', 'manager', 'member', 'guest']::text[] AND cardinality(roles) >= 1),
    -- TOTP: the secret is set on enrolment and `totp_enabled` once a code has been verified;
    -- `totp_last_step` is the last accepted time step, so a code cannot be replayed.
    totp_secret text,
    totp_enabled boolean NOT NULL DEFAULT false,
    totp_last_step bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    password_changed_at timestamptz NOT NULL DEFAULT now()
);

-- One-time MFA recovery codes, stored as SHA-256 hashes.
CREATE TABLE recovery_codes (
    user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash bytea NOT NULL,
    used_at timestamptz,
    PRIMARY KEY (user_id, code_hash)
);
