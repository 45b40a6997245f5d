-- Digests: a category a user digests collects its emails for a window, then sends them as
-- one message. One open digest per user and category; items keep the idempotency key of the
-- notification they stand for, so a redelivered event adds nothing.
ALTER TABLE preferences ADD COLUMN digest jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(digest) = 'object');

CREATE TABLE digests (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id text NOT NULL,
    category text NOT NULL,
    send_at timestamptz NOT NULL,
    sent_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX digests_one_open ON digests (user_id, category) WHERE sent_at IS NULL;
CREATE INDEX digests_due ON digests (send_at) WHERE sent_at IS NULL;

CREATE TABLE digest_items (
    digest_id uuid NOT NULL REFERENCES digests (id) ON DELETE CASCADE,
    user_id text NOT NULL,
    idempotency_key text NOT NULL,
    subject text NOT NULL,
    summary text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (user_id, idempotency_key)
);
CREATE INDEX digest_items_by_digest ON digest_items (digest_id, created_at);
