/** The operations the review page sends: public API, as any client could send them. */

const TOLL = "low best high qualifier text";

export const DRAFT_ARTICLE = /* GraphQL */ `
  query DraftArticle($article: ArticleTextInput!) {
    draftArticle(article: $article) {
      events {
        key title summary date notBefore notAfter category status confidence location causes
        deaths { ${TOLL} }
        injuries { ${TOLL} }
        claims { claimant statement deaths { ${TOLL} } injuries { ${TOLL} } }
        participants { participant role }
        evidence { start end text }
      }
      participants { slug name kind known }
      locations { slug name kind parent countryCode latitude longitude known }
    }
  }
`;

export const INGEST_ARTICLE = /* GraphQL */ `
  mutation PublishArticle($input: ArticleInput!) {
    ingestArticle(input: $input) {
      created
      updated
      events { id title }
    }
  }
`;
