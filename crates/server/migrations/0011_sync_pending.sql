-- Incremental sync: what the mirror writes of incremental reads touched and the
-- rules have not yet been applied to. Written in the same transaction as the
-- mirror rows, cleared in the transaction that applies the rules, so a run
-- that fails or is killed in between leaves the work for the next run.
-- `kind` 'account': saved accounts of that account id (its name, its
-- opportunities, its won value) and the saved leads of its contacts may
-- change; 'contact': the saved leads of that contact may change.
CREATE TABLE sync_pending (
    organization_id  TEXT NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind             TEXT NOT NULL CHECK (kind IN ('account', 'contact')),
    id               TEXT NOT NULL,
    PRIMARY KEY (organization_id, kind, id)
) WITHOUT ROWID;

-- The opportunity's own contact brings a lead: find the opportunities of a contact.
CREATE INDEX crm_opportunities_contact ON crm_opportunities (organization_id, contact_id, state);

-- An incremental run removes what a touched account or contact no longer
-- brings: find the saved rows of a CRM id without reading every person's.
CREATE INDEX saved_accounts_by_crm_id ON saved_accounts (organization_id, crm_id) WHERE crm_id IS NOT NULL;
CREATE INDEX saved_leads_by_crm_id ON saved_leads (organization_id, crm_id) WHERE crm_id IS NOT NULL;

-- "Sync now" pressed while a run is in progress: one more run starts after it
-- (presses coalesce). Set by the press, cleared by the run that starts next.
ALTER TABLE sync_state ADD COLUMN run_requested INTEGER NOT NULL DEFAULT 0;
