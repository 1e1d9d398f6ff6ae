/**
 * Whether a (normalised) search query looks like personal data: an e-mail address, a phone
 * number, a long run of digits (an account, card, ID or phone number without separators) or a
 * URL. Such a query is never published and never put in the ops report, however many origins
 * searched it: k-anonymity hides who searched, not what the text reveals, and k people pasting
 * the same address or number would still publish someone's contact data.
 *
 * Errs on the side of hiding: an aircraft search never needs these shapes, and a false positive
 * only keeps one query off a list. Every pattern is linear (no nested quantifiers) and queries
 * are at most 100 characters.
 */
const PATTERNS: readonly RegExp[] = [
  // e-mail: something@something.tld, also with spaces around the @ or "at"-obfuscation left out
  /[^\s@]@[^\s@]+\.[a-z]{2,}/iu,
  // a run of 7+ digits: phone numbers without separators, card, account and ID numbers
  /\d{7,}/u,
  // international phone: +44 20 7946 0958, +1-555-123-4567
  /\+\s?\d[\d\s().-]{6,}\d/u,
  // national phone with separators, four digits last: (555) 123-4567, 555.123.4567, 020 7946 0958
  // ("747-400 737-800" ends in three and stays)
  /\(?\b\d{3,5}\)?[\s.-]\d{3,4}[\s.-]\d{4}\b/u,
  // URLs and bare domains: https://…, www.…, example.com/…
  /[a-z][a-z0-9+.-]*:\/\//iu,
  /\bwww\./iu,
  /\b[a-z0-9-]+\.(?:com|net|org|info|biz|io|co|me|app|dev|uk|de|fr|ru|cn|jp|us|eu)(?:[/:?#]|\b)/iu,
];

export function looksLikePersonalData(query: string): boolean {
  return PATTERNS.some((pattern) => pattern.test(query));
}
