/**
 * The commonest English function words. News text in English is about a third function words; text in
 * another language, even one sharing the alphabet, has next to none of these, so a low share says the
 * lexicon (English verbs, English qualifiers) cannot read it.
 */
const FUNCTION_WORDS = new Set(
  "the of and to in a is that for on was with as by at from it his her their its be were are has have had said after but not an this which who will would".split(" "),
);
const MIN_SHARE = 0.12;
const MIN_WORDS = 8;

export function readsAsEnglish(text: string): boolean {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? [];
  if (words.length < MIN_WORDS) return words.some((word) => FUNCTION_WORDS.has(word)) || words.length > 0;
  const share = words.filter((word) => FUNCTION_WORDS.has(word)).length / words.length;
  return share >= MIN_SHARE;
}
