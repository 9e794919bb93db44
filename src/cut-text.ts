/**
 * `text` as a message or record quotes it: whole up to `max` characters, else its first `max` and
 * its length. Values from the caller (keys, CEL errors naming them, policy problems) can be a
 * megabyte long, and quoted whole they push a ledger entry past its size limit.
 */
export function cutText(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}
