// graphql-ws exposes its ws adapter only through package "exports", which moduleResolution
// "node" does not read; its typings are at the plain path, so re-export them from there.
declare module "graphql-ws/use/ws" {
  export * from "graphql-ws/dist/use/ws";
}
