/** The IDE's opening tabs: example operations that return data on the seed (tests/graphiql.test.ts runs them). */
export const GRAPHIQL_EXAMPLES: ReadonlyArray<{ query: string; variables?: string }> = [
  {
    query: `# The whole timeline, oldest first, 20 at a time.
# For the next page, pass pageInfo.endCursor as $after.
# Run with Ctrl+Enter or the ▶ button.
query WholeTimeline($after: String) {
  timeline(first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id
        date
        precision
        category
        status
        title
        fatalities
        injured
        location { name }
      }
    }
  }
}
`,
  },
  {
    query: `# Deadly events anywhere in Iran, newest first,
# with who did what to whom. Filter fields combine
# with AND, values within a list with OR.
query DeadlyInIran {
  timeline(filter: { locations: ["iran"], minFatalities: 1 }, order: DESC) {
    totalCount
    edges {
      node {
        date
        title
        category
        fatalities
        injured
        location { name parent { name } }
        participants { role participant { name } }
        sources { publisher url }
      }
    }
  }
}
`,
  },
  {
    query: `# One participant's events, and what they led to.
query ParticipantEvents($slug: String!) {
  participant(slug: $slug) {
    name
    kind
    aliases
    events {
      totalCount
      edges {
        node {
          date
          title
          causes { date title }
          consequences { date title }
        }
      }
    }
  }
}
`,
    variables: JSON.stringify({ slug: "jaish-al-adl" }, null, 2),
  },
  {
    query: `# The dashboard's figures over the events
# that match a filter.
query Dashboard {
  timelineStats(filter: { statuses: [OCCURRED] }) {
    count
    fatalities
    injured
    first
    last
    buckets(interval: WEEK) { start count fatalities }
    byCategory { category count fatalities }
    topParticipants(limit: 5) { participant { slug name } count fatalities }
  }
}
`,
  },
];
