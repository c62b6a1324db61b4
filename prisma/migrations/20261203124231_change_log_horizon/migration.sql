-- Pruning the change log (#14): where it was last pruned, so that an older cursor is refused.

-- CreateTable
CREATE TABLE "change_log_horizon" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "txid" xid8 NOT NULL,
    "seq" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "change_log_horizon_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "change_log_horizon" ADD CONSTRAINT "change_log_horizon_one_row" CHECK ("id" = 1);
