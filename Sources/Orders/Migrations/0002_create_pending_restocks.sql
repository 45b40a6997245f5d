-- Stock a compensation could not put back yet (catalog down, no restock credentials): kept
-- until the restock retrier succeeds, so a failed checkout or a cancellation never leaks
-- stock silently.
CREATE TABLE pending_restocks (
    id bigserial PRIMARY KEY,
    -- The cancelled order; NULL for a checkout that failed before an order existed.
    order_id text,
    product_id text NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    attempts integer NOT NULL DEFAULT 0,
    last_error text,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX pending_restocks_due ON pending_restocks (next_attempt_at);
