import { readFile } from "node:fs/promises";
import path from "node:path";
import { coerceInputValue, isInputType, type GraphQLSchema } from "graphql";
import { badUserInput } from "../common/errors";
import type { ArticleInput } from "./article.input";

/**
 * Reads ArticleInput JSON (one article or an array) and coerces it through the schema's own
 * `ArticleInput` type, so a file is checked and parsed exactly as the API would check it.
 * A `bodyFile` next to `body` names a text file, relative to the JSON, that holds the body; a
 * draft's `review` notes (evidence and confidence, for the editor) are not part of the article.
 */
export async function readArticleFile(file: string, schema: GraphQLSchema): Promise<ArticleInput[]> {
  const json: unknown = JSON.parse(await readFile(file, "utf8"));
  const articles = Array.isArray(json) ? json : [json];
  return Promise.all(
    articles.map(async (article: Record<string, unknown>) => {
      const { bodyFile, review: _review, ...rest } = article;
      if (typeof bodyFile === "string") rest.body = await readFile(path.resolve(path.dirname(file), bodyFile), "utf8");
      return coerceArticle(rest, schema);
    }),
  );
}

export function coerceArticle(value: unknown, schema: GraphQLSchema): ArticleInput {
  const type = schema.getType("ArticleInput");
  if (!type || !isInputType(type)) throw new Error("The schema has no ArticleInput type");
  return coerceInputValue(value, type, (pathTo, _invalid, error) => {
    const where = pathTo.length ? `${pathTo.join(".")}: ` : "";
    throw badUserInput(`${where}${error.message}`);
  }) as ArticleInput;
}
