-- Filters by role and by area (TimelineFilter.roles, near, box).

-- Great-circle distances: earthdistance over cube, both shipped with Postgres (contrib) and PGlite.
CREATE EXTENSION IF NOT EXISTS cube;
CREATE EXTENSION IF NOT EXISTS earthdistance;

-- A box, and the box around a circle: a range of latitudes, longitudes checked on the rows found,
-- then a circle's exact distance with earth_distance(). No index over ll_to_earth(): earthdistance's
-- functions are SQL that resolves cube's by search_path, which Postgres 17 restricts during
-- maintenance (ANALYZE, REINDEX), and a wrapper that pins the path cannot be inlined: 43 ms for
-- one circle over 20,000 places, measured.
CREATE INDEX "locations_latitude_longitude_idx" ON "locations"("latitude", "longitude");

-- Roles alone ("where anyone was a MEDIATOR"): the events with a participant in a role.
CREATE INDEX "event_participants_role_event_id_idx" ON "event_participants"("role", "event_id");
