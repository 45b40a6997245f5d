-- Orders of the watch store. Prices are copied from the catalog at checkout (never taken
-- from the client); totals are exact.
CREATE TABLE orders (
    id text PRIMARY KEY,
    customer_id text NOT NULL,
    status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'completed', 'cancelled')),
    total numeric(14, 2) NOT NULL CHECK (total >= 0),
    payment_method text NOT NULL,
    shipping_address jsonb NOT NULL DEFAULT '{}',
    -- The login that placed the order (members see only their own orders).
    created_by text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_by_customer ON orders (customer_id, created_at DESC);
CREATE INDEX orders_by_creator ON orders (created_by, created_at DESC);

CREATE TABLE order_items (
    order_id text NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    line integer NOT NULL,
    product_id text NOT NULL,
    quantity integer NOT NULL CHECK (quantity > 0),
    unit_price numeric(12, 2) NOT NULL,
    line_total numeric(14, 2) NOT NULL,
    PRIMARY KEY (order_id, line)
);

-- One row per Idempotency-Key and caller: claimed before the checkout starts, completed
-- with the order it produced, removed if the checkout fails so it can be retried.
CREATE TABLE idempotency_keys (
    principal text NOT NULL,
    key text NOT NULL,
    request_hash text NOT NULL,
    order_id text REFERENCES orders (id) ON DELETE CASCADE,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (principal, key)
);
