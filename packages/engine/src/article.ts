/**
 * "a" or "an" before a word in a message, by how the word is said: "an instance-segmentation
 * model", "a face-detection model", "a URL image", "an s3 image". Messages build sentences around
 * names (tasks, address classes, input types); this is the one place that picks their article.
 */

/** Vowel letters said as a consonant ("unique", "URL", "one") and consonant letters said with a vowel ("s3"). */
const SAID_WITH_CONSONANT = /^(eu|uni|us[aeiou]|ur[il]|uti|one\b|once\b)/i;
const LETTER_SAID_WITH_VOWEL = /^[fhlmnrsx](?=[0-9]|$)/i;

export function withArticle(word: string): string {
  const an = LETTER_SAID_WITH_VOWEL.test(word) || (/^[aeiou]/i.test(word) && !SAID_WITH_CONSONANT.test(word));
  return `${an ? "an" : "a"} ${word}`;
}
