-- R3, second rule: the contact column holding the LinkedIn profile URL, per
-- organization. NULL: the default column (`new_linkedinurl`).
ALTER TABLE writeback_settings ADD COLUMN profile_url_column TEXT;
