-- Seat list speed (issue #4): the seats-in-use count is an index range, and
-- the email order of the seat list is an index walk.
CREATE INDEX people_organization_team_member ON people (organization_id, is_team_member);
