// The GraphQL IDE at GET /graphiql (where browsers opening /graphql are sent): GraphiQL, bundled by web/build.ts into hashed assets served
// from this origin (nothing loads from a CDN), opening on example tabs that run on the seed.
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import "graphiql/graphiql.css";
import "./page.css";
import { createElement } from "react";
import { createRoot } from "react-dom/client";
import { GRAPHIQL_EXAMPLES } from "./examples";

const endpoint = new URL("/graphql", location.href);
const fetcher = createGraphiQLFetcher({
  url: endpoint.href,
  // Subscriptions over graphql-ws on the same path.
  subscriptionUrl: endpoint.href.replace(/^http/, "ws"),
});

createRoot(document.getElementById("graphiql")!).render(
  createElement(GraphiQL, {
    fetcher,
    defaultTabs: GRAPHIQL_EXAMPLES.map(({ query, variables }) => ({ query, variables })),
    defaultEditorToolsVisibility: false,
  }),
);
