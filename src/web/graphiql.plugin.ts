import type { ApolloServerPlugin } from "@apollo/server";
import { renderGraphiQL } from "@graphql-yoga/render-graphiql";
import { GRAPHIQL_EXAMPLES } from "./graphiql.examples";

/**
 * Apollo's landing page as GraphiQL, for browsers that GET /graphql (Accept: text/html);
 * everything else stays GraphQL. @graphql-yoga/render-graphiql inlines all of GraphiQL
 * (scripts, styles, Monaco's workers, the favicon) into one ~9 MB page, so nothing loads
 * from a CDN. The page is rendered once, when the server starts, and Express gives it an
 * ETag, so a browser that has it revalidates with a 304.
 */
export function graphiqlLandingPage(): ApolloServerPlugin {
  return {
    async serverWillStart() {
      const html = renderGraphiQL({
        title: "Timeline GraphQL IDE",
        defaultTabs: GRAPHIQL_EXAMPLES.map(({ query, variables }) => ({ query, variables: variables ?? null })),
        // The server speaks graphql-ws on /graphql, not GraphQL over SSE (GraphiQL's default).
        subscriptionsProtocol: "WS",
      });
      return { renderLandingPage: async () => ({ html }) };
    },
  };
}
