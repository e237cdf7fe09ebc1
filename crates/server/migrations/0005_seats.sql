-- Seat Management (SPEC M1–M4): the connected CRM's users (to match seats by
-- email and to assign seats from), one-time set-password links, and indexes
-- that keep the seat list fast at 10,000 seats.

-- The CRM's users as last read from the connector for Seat Management (the
-- sync worker keeps its own `crm_users` mirror), replaced as a whole on
-- every refresh. Emails are stored lower case so matching is one index look-up.
CREATE TABLE crm_directory (
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    systemuserid     TEXT NOT NULL,
    fullname         TEXT NOT NULL DEFAULT '',
    email            TEXT CHECK (email = lower(email)),
    azure_object_id  TEXT,
    isdisabled       INTEGER NOT NULL DEFAULT 0,
    refreshed_at     INTEGER NOT NULL,
    PRIMARY KEY (organization_id, systemuserid)
);
CREATE INDEX crm_directory_email ON crm_directory (organization_id, email);
CREATE INDEX crm_directory_name ON crm_directory (organization_id, fullname COLLATE NOCASE);

-- When the CRM's users were last read, also when the CRM had none.
CREATE TABLE crm_directory_refreshes (
    organization_id  TEXT PRIMARY KEY NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    refreshed_at     INTEGER NOT NULL
);

-- Like sessions, only the SHA-256 of a link's token is stored. A person has at
-- most one live link: making a new one deletes the older ones, and using one
-- deletes it.
CREATE TABLE password_links (
    token_hash       TEXT PRIMARY KEY NOT NULL,
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    person_id        TEXT NOT NULL REFERENCES people (id) ON DELETE CASCADE,
    created_by       TEXT REFERENCES people (id) ON DELETE SET NULL,
    created_at       INTEGER NOT NULL,
    expires_at       INTEGER NOT NULL
);
CREATE INDEX password_links_person ON password_links (person_id);

-- The seat list sorts by name (any case) or email within an organization.
CREATE INDEX people_organization_name_nocase ON people (organization_id, name COLLATE NOCASE, id);
CREATE INDEX people_organization_email ON people (organization_id, email);
CREATE INDEX seats_sessions_person ON sessions (person_id);
