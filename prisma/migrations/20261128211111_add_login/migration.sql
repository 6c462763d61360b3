-- AlterTable
ALTER TABLE "authorizations" ADD COLUMN     "login" VARCHAR(255);
