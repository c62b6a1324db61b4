// PostGraphile as the bench's peer (npm run bench -- --peer postgraphile): the amber preset and the
// connection filter, configured as one would run it in production. Started by serve.mjs under
// the Node 22 installed beside it; see scripts/bench/peer-postgraphile.ts.
import { makePgService } from "postgraphile/adaptors/pg";
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PostGraphileConnectionFilterPreset } from "postgraphile-plugin-connection-filter";

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error("DATABASE_URL is not set");

/** @type {GraphileConfig.Preset} */
const preset = {
  extends: [PostGraphileAmberPreset, PostGraphileConnectionFilterPreset],
  pgServices: [
    makePgService({
      connectionString,
      schemas: ["public"],
      // The API's pool: the same number of connections to Postgres (DATABASE_POOL_SIZE, else 10).
      poolConfig: { max: Number(process.env.DATABASE_POOL_SIZE) || 10 },
    }),
  ],
  schema: {
    // (c) and (f) filter events by a participant through event_participants, a backward relation:
    // off by default in the connection filter.
    connectionFilterRelations: true,
  },
  grafserv: {
    graphqlPath: "/graphql",
    graphiql: false,
    watch: false,
    websockets: false,
  },
  grafast: {
    explain: false,
  },
};

export default preset;
