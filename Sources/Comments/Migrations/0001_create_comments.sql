-- Comments on entities of other services (`task:WEB-142`), one level of replies (a reply's
-- thread is its root), reactions from a fixed set, and the revisions edits keep.
CREATE TABLE comments (
    id uuid PRIMARY KEY,
    -- Keyset order of the whole service: threads and replies list by it.
    position bigserial NOT NULL UNIQUE,
    entity text NOT NULL,
    project text NOT NULL,
    thread_id uuid REFERENCES comments (id) ON DELETE CASCADE,
    author_id text NOT NULL,
    -- Markdown as written, never rendered here; plain_text is what search reads.
    body text NOT NULL,
    plain_text text NOT NULL,
    mentions text[] NOT NULL DEFAULT '{}',
    reply_count integer NOT NULL DEFAULT 0 CHECK (reply_count >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    edited_at timestamptz,
    -- A root deleted while it had replies stays as a placeholder (body emptied).
    deleted_at timestamptz,
    CHECK (deleted_at IS NULL OR thread_id IS NULL)
);
CREATE INDEX comments_threads ON comments (entity, position) WHERE thread_id IS NULL;
CREATE INDEX comments_replies ON comments (thread_id, position) WHERE thread_id IS NOT NULL;
CREATE INDEX comments_by_author ON comments (author_id);

CREATE TABLE comment_revisions (
    comment_id uuid NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    number integer NOT NULL,
    -- The body as it was before the edit that made this revision, and when it was written.
    body text NOT NULL,
    written_at timestamptz NOT NULL,
    replaced_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, number)
);

CREATE TABLE comment_reactions (
    comment_id uuid NOT NULL REFERENCES comments (id) ON DELETE CASCADE,
    reaction text NOT NULL CHECK (reaction IN ('+1', '-1', 'laugh', 'confused', 'heart', 'hooray', 'rocket', 'eyes')),
    user_id text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (comment_id, reaction, user_id)
);
