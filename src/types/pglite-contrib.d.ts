// PGlite's contrib extensions ship CommonJS builds, but their typings are exposed only through
// package "exports", which moduleResolution "node" does not read. Declare the ones we load.
declare module "@electric-sql/pglite/contrib/pg_trgm" {
  export const pg_trgm: import("@electric-sql/pglite").Extension;
}
declare module "@electric-sql/pglite/contrib/cube" {
  export const cube: import("@electric-sql/pglite").Extension;
}
declare module "@electric-sql/pglite/contrib/earthdistance" {
  export const earthdistance: import("@electric-sql/pglite").Extension;
}
