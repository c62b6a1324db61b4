import { badUserInput } from "../common/errors";

/** An article as a text file: a small header of `name: value` lines, a blank line, then the text. */
export interface ArticleTextFile {
  url: string;
  title: string;
  publisher: string | null;
  author: string | null;
  publishedAt: Date;
  text: string;
}

const HEADER = /^([a-z]+):\s*(.*)$/i;

/**
 * Reads the header (title, url, published, and optionally publisher and author) and the text after
 * the first blank line, as `npm run ingest -- article.txt` and the evaluation set use it.
 */
export function parseArticleTextFile(content: string, name = "article"): ArticleTextFile {
  const normalised = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const split = normalised.search(/\n[ \t]*\n/);
  const head = split < 0 ? normalised : normalised.slice(0, split);
  const text = split < 0 ? "" : normalised.slice(split).replace(/^\n[ \t]*\n+/, "");
  const fields = new Map<string, string>();
  for (const line of head.split("\n")) {
    const match = line.match(HEADER);
    if (!match) throw badUserInput(`${name}: the header line "${line.slice(0, 60)}" is not "name: value"; start the file with title:, url:, published: lines, then a blank line, then the text`);
    fields.set(match[1]!.toLowerCase(), match[2]!.trim());
  }
  const field = (key: string) => {
    const value = fields.get(key);
    if (!value) throw badUserInput(`${name}: the header has no "${key}:" line`);
    return value;
  };
  const publishedAt = new Date(field("published"));
  if (Number.isNaN(publishedAt.getTime())) throw badUserInput(`${name}: "published: ${field("published")}" is not a date-time`);
  if (!text.trim()) throw badUserInput(`${name}: there is no text after the header's blank line`);
  return {
    url: field("url"),
    title: field("title"),
    publisher: fields.get("publisher") || null,
    author: fields.get("author") || null,
    publishedAt,
    text,
  };
}
