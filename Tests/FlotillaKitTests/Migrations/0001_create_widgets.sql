-- A fixture for the EmbedMigrations plugin test: quotes ", """ and "# must survive embedding.
CREATE TABLE widgets (
  id serial PRIMARY KEY,
  label text NOT NULL DEFAULT 'say "hi" """ "#'
);
