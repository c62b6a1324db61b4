import nlp from "compromise";

/** A stretch of the article: UTF-16 offsets into its text, end exclusive (the contract's TextSpan). */
export interface Span {
  start: number;
  end: number;
}

export interface Sentence extends Span {
  text: string;
  /** Index of its paragraph: blank lines separate paragraphs, and a date carries over only within one. */
  paragraph: number;
  /** Where the story proper starts, past a dateline such as "ISLAMABAD (AP) — ". */
  bodyStart: number;
  /** The place named by the dateline, as written ("ISLAMABAD"), when the sentence opens with one. */
  dateline: string | null;
  /** The country the dateline adds after the place ("MACHALA, Ecuador"), if it does. */
  datelineCountry: string | null;
}

const DATELINE = /^([A-Z][A-Z .,'-]{2,60}?)(?:,\s*([A-Z][A-Za-z .'-]{1,40}))?\s*\([^)]{1,40}\)\s*[—–-]+\s*/;

/**
 * The article's sentences, in order. compromise splits them (it knows "Jan. 17" and "U.S." do not end
 * one); its tokenizer alone is used, without the tagger, because only the boundaries are needed here.
 */
export function sentencesOf(text: string): Sentence[] {
  const sentences: Sentence[] = [];
  let paragraph = 0;
  for (const block of paragraphsOf(text)) {
    const doc = nlp.tokenize(block.text);
    doc.compute("offset");
    for (const terms of doc.docs as unknown as Array<Array<{ offset: { start: number; length: number } }>>) {
      if (!terms.length) continue;
      const first = terms[0]!.offset;
      const last = terms[terms.length - 1]!.offset;
      const start = block.start + first.start;
      let end = block.start + last.start + last.length;
      // compromise's term offsets leave out closing punctuation that follows the last word.
      while (end < block.end && /[.!?"”’')\]]/.test(text[end]!)) end++;
      const sentenceText = text.slice(start, end);
      const dateline = sentenceText.match(DATELINE);
      sentences.push({
        start,
        end,
        text: sentenceText,
        paragraph,
        bodyStart: start + (dateline ? dateline[0].length : 0),
        dateline: dateline ? dateline[1]!.trim() : null,
        datelineCountry: dateline?.[2]?.trim() ?? null,
      });
    }
    paragraph++;
  }
  return sentences;
}

function paragraphsOf(text: string): Array<Span & { text: string }> {
  const blocks: Array<Span & { text: string }> = [];
  const separator = /\n[ \t]*\n+/g;
  let start = 0;
  for (const match of text.matchAll(separator)) {
    blocks.push({ start, end: match.index, text: text.slice(start, match.index) });
    start = match.index + match[0].length;
  }
  blocks.push({ start, end: text.length, text: text.slice(start) });
  return blocks.filter((block) => block.text.trim().length > 0);
}

/** Words as the drafter compares them: lower case, accents and typographic apostrophes folded. */
export function fold(text: string): string {
  return text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/[’‘`]/g, "'")
    .toLowerCase();
}
