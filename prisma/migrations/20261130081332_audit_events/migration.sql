-- The audit trail (issue 12): one row per recorded operation, never a secret. The three indexes serve the
-- audit list newest first (created_at desc, id desc) for a project, by authorization name and by operation.

-- CreateEnum
CREATE TYPE "AuditOutcome" AS ENUM ('pending', 'succeeded', 'failed');

-- CreateTable
CREATE TABLE "audit_events" (
    "id" BIGSERIAL NOT NULL,
    "project_id" VARCHAR(64) NOT NULL,
    "authorization_name" VARCHAR(63) NOT NULL,
    "operation" VARCHAR(32) NOT NULL,
    "repository" TEXT,
    "ref" TEXT,
    "path" TEXT,
    "hook_id" TEXT,
    "caller_scheme" VARCHAR(16) NOT NULL,
    "caller_subject" TEXT NOT NULL,
    "request_id" VARCHAR(128) NOT NULL,
    "outcome" "AuditOutcome" NOT NULL,
    "error_code" VARCHAR(32),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "audit_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "audit_events_project_id_created_at_id_idx" ON "audit_events"("project_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_project_id_authorization_name_created_at_id_idx" ON "audit_events"("project_id", "authorization_name", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "audit_events_project_id_operation_created_at_id_idx" ON "audit_events"("project_id", "operation", "created_at" DESC, "id" DESC);
