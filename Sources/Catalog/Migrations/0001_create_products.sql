-- The watch catalogue. Money is NUMERIC(12,2), never a float; stock can never go negative,
-- so a purchase is one conditional UPDATE that cannot oversell.
CREATE TABLE products (
    id text PRIMARY KEY CHECK (id ~ '^[A-Za-z0-9_-]{1,64}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    brand text NOT NULL CHECK (length(brand) BETWEEN 1 AND 100),
    category text NOT NULL CHECK (length(category) BETWEEN 1 AND 50),
    price numeric(12, 2) NOT NULL CHECK (price >= 0),
    stock integer NOT NULL CHECK (stock >= 0),
    metadata jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(metadata) = 'object'),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX products_by_category ON products (category, price);
CREATE INDEX products_by_brand ON products (brand, price);
CREATE INDEX products_by_price ON products (price);
CREATE INDEX products_by_created_at ON products (created_at DESC);
