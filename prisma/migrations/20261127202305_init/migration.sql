-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "DatePrecision" AS ENUM ('YEAR', 'MONTH', 'DAY', 'TIME');

-- CreateEnum
CREATE TYPE "EventCategory" AS ENUM ('AIRSTRIKE', 'ARMED_CLASH', 'ATTACK', 'EXPLOSION', 'PROTEST', 'RIOT', 'DIPLOMACY', 'STATEMENT', 'LEGAL', 'POLITICAL', 'HUMANITARIAN', 'OTHER');

-- CreateEnum
CREATE TYPE "EventStatus" AS ENUM ('OCCURRED', 'PLANNED');

-- CreateEnum
CREATE TYPE "ParticipantKind" AS ENUM ('COUNTRY', 'PERSON', 'ARMED_GROUP', 'ORGANIZATION', 'GROUP');

-- CreateEnum
CREATE TYPE "ParticipantRole" AS ENUM ('ACTOR', 'TARGET', 'VICTIM', 'PARTICIPANT', 'HOST', 'MEDIATOR');

-- CreateEnum
CREATE TYPE "LocationKind" AS ENUM ('COUNTRY', 'REGION', 'CITY', 'SITE');

-- CreateTable
CREATE TABLE "events" (
    "id" SERIAL NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "precision" "DatePrecision" NOT NULL,
    "category" "EventCategory" NOT NULL,
    "status" "EventStatus" NOT NULL DEFAULT 'OCCURRED',
    "fatalities" INTEGER,
    "injured" INTEGER,
    "location_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participants" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "ParticipantKind" NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "description" TEXT,
    "country_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "participants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "locations" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "LocationKind" NOT NULL,
    "aliases" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "country_code" VARCHAR(2),
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "parent_id" INTEGER,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "locations_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "sources" (
    "id" SERIAL NOT NULL,
    "url" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "publisher" TEXT,
    "author" TEXT,
    "published_at" TIMESTAMPTZ(3) NOT NULL,
    "body" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "sources_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "event_participants" (
    "event_id" INTEGER NOT NULL,
    "participant_id" INTEGER NOT NULL,
    "role" "ParticipantRole" NOT NULL,

    CONSTRAINT "event_participants_pkey" PRIMARY KEY ("event_id","participant_id","role")
);

-- CreateTable
CREATE TABLE "event_sources" (
    "event_id" INTEGER NOT NULL,
    "source_id" INTEGER NOT NULL,
    "key" TEXT,

    CONSTRAINT "event_sources_pkey" PRIMARY KEY ("event_id","source_id")
);

-- CreateTable
CREATE TABLE "event_links" (
    "cause_id" INTEGER NOT NULL,
    "effect_id" INTEGER NOT NULL,

    CONSTRAINT "event_links_pkey" PRIMARY KEY ("effect_id","cause_id")
);

-- CreateIndex
CREATE INDEX "events_occurred_at_id_idx" ON "events"("occurred_at", "id");

-- CreateIndex
CREATE INDEX "events_ends_at_idx" ON "events"("ends_at");

-- CreateIndex
CREATE INDEX "events_location_id_occurred_at_idx" ON "events"("location_id", "occurred_at");

-- CreateIndex
CREATE INDEX "events_category_occurred_at_idx" ON "events"("category", "occurred_at");

-- CreateIndex
CREATE UNIQUE INDEX "participants_slug_key" ON "participants"("slug");

-- CreateIndex
CREATE INDEX "participants_country_id_idx" ON "participants"("country_id");

-- CreateIndex
CREATE INDEX "participants_kind_idx" ON "participants"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "locations_slug_key" ON "locations"("slug");

-- CreateIndex
CREATE INDEX "locations_parent_id_idx" ON "locations"("parent_id");

-- CreateIndex
CREATE INDEX "locations_kind_idx" ON "locations"("kind");

-- CreateIndex
CREATE UNIQUE INDEX "sources_url_key" ON "sources"("url");

-- CreateIndex
CREATE INDEX "event_participants_participant_id_event_id_idx" ON "event_participants"("participant_id", "event_id");

-- CreateIndex
CREATE UNIQUE INDEX "event_sources_source_id_key_key" ON "event_sources"("source_id", "key");

-- CreateIndex
CREATE INDEX "event_links_cause_id_idx" ON "event_links"("cause_id");

-- AddForeignKey
ALTER TABLE "events" ADD CONSTRAINT "events_location_id_fkey" FOREIGN KEY ("location_id") REFERENCES "locations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "participants" ADD CONSTRAINT "participants_country_id_fkey" FOREIGN KEY ("country_id") REFERENCES "locations"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "locations" ADD CONSTRAINT "locations_parent_id_fkey" FOREIGN KEY ("parent_id") REFERENCES "locations"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_participants" ADD CONSTRAINT "event_participants_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_sources" ADD CONSTRAINT "event_sources_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_sources" ADD CONSTRAINT "event_sources_source_id_fkey" FOREIGN KEY ("source_id") REFERENCES "sources"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_links" ADD CONSTRAINT "event_links_cause_id_fkey" FOREIGN KEY ("cause_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "event_links" ADD CONSTRAINT "event_links_effect_id_fkey" FOREIGN KEY ("effect_id") REFERENCES "events"("id") ON DELETE CASCADE ON UPDATE CASCADE;
