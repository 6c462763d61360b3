-- The list reads all of a project's rows and sorts them, so this index gave it nothing that the unique
-- (project_id, name) index does not. On a small table the planner priced the two the same for the lookups by
-- name, and a pooled connection's prepared statement could keep this one and then scan the whole project on
-- every name check and credential read. One index fewer to maintain on each insert, too.

-- DropIndex
DROP INDEX "authorizations_project_id_created_at_idx";
