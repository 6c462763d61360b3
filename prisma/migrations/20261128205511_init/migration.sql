-- CreateEnum
CREATE TYPE "RepoType" AS ENUM ('github', 'gitlab', 'gitee', 'bitbucket');

-- CreateEnum
CREATE TYPE "TokenType" AS ENUM ('oauth', 'personal', 'password');

-- CreateTable
CREATE TABLE "authorizations" (
    "id" UUID NOT NULL,
    "project_id" VARCHAR(64) NOT NULL,
    "name" VARCHAR(63) NOT NULL,
    "repo_type" "RepoType" NOT NULL,
    "tag" VARCHAR(32) NOT NULL DEFAULT '',
    "token_type" "TokenType" NOT NULL,
    "repo_host" VARCHAR(2048) NOT NULL,
    "api_url" VARCHAR(2048) NOT NULL,
    "repo_home" VARCHAR(2048) NOT NULL DEFAULT '',
    "repo_user" VARCHAR(255) NOT NULL DEFAULT '',
    "avatar" VARCHAR(2048) NOT NULL DEFAULT '',
    "status" SMALLINT NOT NULL DEFAULT 0,
    "key_id" VARCHAR(64) NOT NULL,
    "secret_sealed" BYTEA NOT NULL,
    "refresh_token_sealed" BYTEA,
    "token_expires_at" TIMESTAMPTZ(3),
    "refresh_token_expires_at" TIMESTAMPTZ(3),
    "scope" VARCHAR(1024),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "authorizations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "oauth_states" (
    "state_hash" BYTEA NOT NULL,
    "project_id" VARCHAR(64) NOT NULL,
    "repo_type" "RepoType" NOT NULL,
    "tag" VARCHAR(32) NOT NULL DEFAULT '',
    "key_id" VARCHAR(64),
    "code_verifier_sealed" BYTEA,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "oauth_states_pkey" PRIMARY KEY ("state_hash")
);

-- CreateIndex
CREATE INDEX "authorizations_project_id_created_at_idx" ON "authorizations"("project_id", "created_at");

-- CreateIndex
CREATE UNIQUE INDEX "authorizations_project_id_name_key" ON "authorizations"("project_id", "name");

-- CreateIndex
CREATE INDEX "oauth_states_expires_at_idx" ON "oauth_states"("expires_at");
