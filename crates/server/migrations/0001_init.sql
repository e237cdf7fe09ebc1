-- Navsync's first schema. Every row belongs to one organization, so each query
-- can (and must) be scoped by organization_id. Timestamps are unix seconds (UTC).

CREATE TABLE organizations (
    id          TEXT PRIMARY KEY NOT NULL,
    name        TEXT NOT NULL,
    seat_limit  INTEGER NOT NULL CHECK (seat_limit >= 0),
    created_at  INTEGER NOT NULL
);

CREATE TABLE people (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    -- Sign-in is by email alone, so an email is unique across organizations.
    email            TEXT NOT NULL UNIQUE CHECK (email = lower(email)),
    name             TEXT NOT NULL,
    -- NULL: the person cannot sign in with a password (yet).
    password_hash    TEXT,
    is_admin         INTEGER NOT NULL DEFAULT 0,
    is_team_member   INTEGER NOT NULL DEFAULT 0,
    crm_sync_enabled INTEGER NOT NULL DEFAULT 1,
    locale           TEXT NOT NULL DEFAULT 'en',
    created_at       INTEGER NOT NULL,
    CHECK (is_admin OR is_team_member)
);
CREATE INDEX people_organization ON people (organization_id, name);

-- The raw session token lives only in the browser's cookie; the database holds
-- its SHA-256 so a leaked database does not leak sessions.
CREATE TABLE sessions (
    token_hash       TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id        TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL
);
CREATE INDEX sessions_organization ON sessions (organization_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE audit_log (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id        TEXT REFERENCES people (id) ON DELETE SET NULL,
    action           TEXT NOT NULL,
    detail           TEXT NOT NULL DEFAULT '',
    created_at       INTEGER NOT NULL
);
CREATE INDEX audit_log_organization ON audit_log (organization_id, created_at);

CREATE TABLE saved_accounts (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id        TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    name             TEXT NOT NULL,
    crm_id           TEXT,
    crm_url          TEXT,
    source           TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'crm')),
    created_at       INTEGER NOT NULL
);
CREATE INDEX saved_accounts_organization ON saved_accounts (organization_id, person_id);

CREATE TABLE saved_leads (
    id               TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id        TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    first_name       TEXT NOT NULL,
    last_name        TEXT NOT NULL,
    email            TEXT,
    company          TEXT,
    crm_id           TEXT,
    crm_url          TEXT,
    source           TEXT NOT NULL DEFAULT 'manual' CHECK (source IN ('manual', 'crm')),
    created_at       INTEGER NOT NULL
);
CREATE INDEX saved_leads_organization ON saved_leads (organization_id, person_id);
