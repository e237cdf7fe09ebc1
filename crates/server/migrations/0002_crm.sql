-- The CRM connection (SPEC C1–C5) and the admin's CRM settings (S1–S3), one of
-- each per organization. The client secret is stored only encrypted
-- (ChaCha20-Poly1305 under a key kept outside the database, with the
-- organization id as associated data): a copy of this file alone cannot reveal it.

CREATE TABLE crm_connections (
    organization_id        TEXT PRIMARY KEY NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    environment_url        TEXT NOT NULL,
    tenant                 TEXT NOT NULL,
    client_id              TEXT NOT NULL,
    secret_ciphertext      BLOB NOT NULL,
    secret_nonce           BLOB NOT NULL,
    organization_name      TEXT NOT NULL,
    version                TEXT NOT NULL,
    crm_user_id            TEXT NOT NULL,
    can_impersonate        INTEGER NOT NULL DEFAULT 0,
    -- JSON arrays of navsync_api::crm::StageChoice / MoneyFieldChoice.
    stage_choices          TEXT NOT NULL DEFAULT '[]',
    money_field_choices    TEXT NOT NULL DEFAULT '[]',
    connected_at           INTEGER NOT NULL,
    connected_by           TEXT REFERENCES people (id) ON DELETE SET NULL,
    credentials_updated_at INTEGER,
    last_sync_at           INTEGER,
    -- A lasting problem (state "warning"): navsync_api::crm::CrmErrorKind in snake_case.
    problem_kind           TEXT,
    problem_privilege      TEXT,
    problem_since          INTEGER
);

CREATE TABLE crm_settings (
    organization_id  TEXT PRIMARY KEY NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    auto_sync_all    INTEGER NOT NULL DEFAULT 1,
    pipeline_stage   INTEGER,
    won_value_field  TEXT
);

CREATE INDEX saved_accounts_source ON saved_accounts (organization_id, source);
CREATE INDEX saved_leads_source ON saved_leads (organization_id, source);
