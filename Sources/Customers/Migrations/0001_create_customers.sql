-- The watch store's customers. `user_id` links a customer to the login (auth subject) that
-- may read and edit it; email is unique whatever its case.
CREATE TABLE customers (
    id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
    user_id text UNIQUE,
    email text NOT NULL CHECK (length(email) <= 254),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    tier text NOT NULL DEFAULT 'bronze' CHECK (tier IN ('platinum', 'gold', 'silver', 'bronze')),
    phone text CHECK (length(phone) <= 40),
    address jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(address) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX customers_email_unique ON customers (lower(email));
CREATE INDEX customers_by_tier ON customers (tier, created_at);
