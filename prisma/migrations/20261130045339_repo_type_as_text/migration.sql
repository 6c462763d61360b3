-- The repo type becomes text that the service's provider registry validates, so adding a provider needs no
-- migration. Converted in place (not dropped and re-added, as a generated diff would): every row keeps its type.

-- AlterTable
ALTER TABLE "authorizations" ALTER COLUMN "repo_type" SET DATA TYPE VARCHAR(32) USING "repo_type"::text;

-- AlterTable
ALTER TABLE "oauth_states" ALTER COLUMN "repo_type" SET DATA TYPE VARCHAR(32) USING "repo_type"::text;

-- DropEnum
DROP TYPE "RepoType";
