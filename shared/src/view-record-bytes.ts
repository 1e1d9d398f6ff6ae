import { DEVICE_CLASSES, RECORD_SCHEMA_VERSION, type DeviceClass, type ViewRecord } from './records.ts';
import { SLUG_MAX_LENGTH } from './slug.ts';

/**
 * A current view record read straight from its UTF-8 bytes (what a Kafka fetch hands over), or
 * null: then the caller parses the text and the schemas decide, and say why. The consumer reads
 * every record; the text, `JSON.parse`'s object and the regular-expression checks were about a
 * third of its own work per record.
 *
 * It accepts a strict subset of what `viewRecordSchema` accepts (a property test holds every
 * record it accepts equal to the schema's result): the JSON exactly as `JSON.stringify` writes it
 * (no whitespace), the nine keys in any order, each once, every value of the form the schema
 * requires. The strings it accepts cannot hold a quote or a backslash, so no escape is ever
 * decoded; anything else (escapes, whitespace, a `-0`, another record kind) returns null.
 */
export function viewRecordFromBytes(bytes: Buffer): ViewRecord | null {
  const view = newViewFields();
  if (!readViewFields(bytes, view)) return null;
  return {
    schema: RECORD_SCHEMA_VERSION,
    id: bytes.toString('latin1', view.idStart, view.idEnd),
    type: 'view',
    aircraft: view.aircraft,
    clientTs: view.clientTs,
    receivedAt: view.receivedAt,
    visitor: bytes.toString('latin1', view.visitorStart, view.visitorStart + VISITOR_HASH_LENGTH),
    origin: bytes.toString('latin1', view.originStart, view.originStart + VISITOR_HASH_LENGTH),
    device: view.device,
  };
}

/** Characters of a visitor or origin hash (32 hex). */
export const VISITOR_HASH_LENGTH = 32;

/**
 * A view record's fields as `readViewFields` leaves them: the id, visitor and origin as where their
 * characters lie in the record's bytes (ASCII: one byte a character), so a reader that only hashes
 * them (the consumer) makes no string of them. One object is reused for every record.
 */
export interface ViewFields {
  aircraft: string;
  clientTs: number;
  receivedAt: number;
  device: DeviceClass;
  /** The id's characters are bytes [idStart, idEnd). */
  idStart: number;
  idEnd: number;
  /** The visitor's and the origin's VISITOR_HASH_LENGTH characters start here. */
  visitorStart: number;
  originStart: number;
}

export function newViewFields(): ViewFields {
  return { aircraft: '', clientTs: -1, receivedAt: -1, device: DEVICES[0] as DeviceClass, idStart: 0, idEnd: 0, visitorStart: 0, originStart: 0 };
}

/**
 * Reads a current view record from its bytes into `into` (which holds garbage when it returns
 * false): exactly the records `viewRecordFromBytes` accepts, without making their id, visitor and
 * origin strings.
 */
export function readViewFields(bytes: Buffer, into: ViewFields): boolean {
  const end = bytes.length;
  if (end < 2 || bytes[0] !== OPEN || bytes[end - 1] !== CLOSE) return false;
  let seen = 0;
  let device: DeviceClass | null = null;
  let at = 1;
  for (;;) {
    // "key":
    if (bytes[at] !== QUOTE) return false;
    const key = keyAt(bytes, at + 1);
    if (key < 0 || (seen & (1 << key)) !== 0) return false;
    seen |= 1 << key;
    at += (KEYS[key] as string).length + 2;
    if (bytes[at] !== COLON) return false;
    at++;
    // The value runs to the next ',' or the closing '}' (none of the accepted values holds either).
    let stop = at;
    while (stop < end - 1 && bytes[stop] !== COMMA) stop++;
    switch (key) {
      case SCHEMA:
        if (stop - at !== 1 || bytes[at] !== DIGIT_0 + RECORD_SCHEMA_VERSION) return false;
        break;
      case TYPE:
        if (!literalAt(bytes, at, stop, '"view"')) return false;
        break;
      case ID:
        if (!quotedRun(bytes, at, stop, ID_CHARS, 16, 64)) return false;
        into.idStart = at + 1;
        into.idEnd = stop - 1;
        break;
      case AIRCRAFT:
        if (!quotedSlug(bytes, at, stop)) return false;
        into.aircraft = bytes.toString('latin1', at + 1, stop - 1);
        break;
      case VISITOR:
      case ORIGIN:
        if (!quotedRun(bytes, at, stop, HEX_CHARS, VISITOR_HASH_LENGTH, VISITOR_HASH_LENGTH)) return false;
        if (key === VISITOR) into.visitorStart = at + 1;
        else into.originStart = at + 1;
        break;
      case DEVICE:
        for (let d = 0; d < DEVICES.length && device === null; d++) if (literalAt(bytes, at, stop, QUOTED_DEVICES[d] as string)) device = DEVICES[d] as DeviceClass;
        if (device === null) return false;
        break;
      case CLIENT_TS:
      case RECEIVED_AT: {
        const count = countAt(bytes, at, stop);
        if (count < 0) return false;
        if (key === CLIENT_TS) into.clientTs = count;
        else into.receivedAt = count;
      }
    }
    at = stop + 1;
    if (stop === end - 1) break;
  }
  if (seen !== ALL_KEYS || device === null) return false;
  into.device = device;
  return true;
}

const KEYS = ['schema', 'id', 'type', 'aircraft', 'clientTs', 'receivedAt', 'visitor', 'origin', 'device'] as const;
const [SCHEMA, ID, TYPE, AIRCRAFT, CLIENT_TS, RECEIVED_AT, VISITOR, ORIGIN, DEVICE] = [0, 1, 2, 3, 4, 5, 6, 7, 8] as const;
const ALL_KEYS = (1 << KEYS.length) - 1;
const DEVICES = DEVICE_CLASSES;
const QUOTED_DEVICES = DEVICES.map((d) => `"${d}"`);

const OPEN = 0x7b;
const CLOSE = 0x7d;
const QUOTE = 0x22;
const COLON = 0x3a;
const COMMA = 0x2c;
const DIGIT_0 = 0x30;

/** Byte classes: which bytes each string field may hold. */
const charClass = (chars: string): Uint8Array => {
  const table = new Uint8Array(256);
  for (const c of chars) table[c.charCodeAt(0)] = 1;
  return table;
};
const LOWER_DIGITS = 'abcdefghijklmnopqrstuvwxyz0123456789';
const ID_CHARS = charClass(`${LOWER_DIGITS}ABCDEFGHIJKLMNOPQRSTUVWXYZ_-`);
const HEX_CHARS = charClass('0123456789abcdef');
const SLUG_CHARS = charClass(LOWER_DIGITS);

/** The key each first byte can start (the nine keys start with nine different letters), else -1. */
const KEY_BY_FIRST = new Int8Array(256).fill(-1);
KEYS.forEach((name, k) => (KEY_BY_FIRST[name.charCodeAt(0)] = k));

/** Which of KEYS is quoted at `at` (followed by its closing quote), or -1. */
function keyAt(bytes: Buffer, at: number): number {
  const k = KEY_BY_FIRST[bytes[at] as number] as number;
  if (k < 0) return -1;
  const name = KEYS[k] as string;
  if (bytes[at + name.length] !== QUOTE) return -1;
  for (let i = 1; i < name.length; i++) if (bytes[at + i] !== name.charCodeAt(i)) return -1;
  return k;
}

function literalAt(bytes: Buffer, at: number, stop: number, literal: string): boolean {
  if (stop - at !== literal.length) return false;
  for (let i = 0; i < literal.length; i++) if (bytes[at + i] !== literal.charCodeAt(i)) return false;
  return true;
}

/** `"…"` from `at` to `stop`, min..max bytes of `chars` inside. */
function quotedRun(bytes: Buffer, at: number, stop: number, chars: Uint8Array, min: number, max: number): boolean {
  const length = stop - at - 2;
  if (length < min || length > max || bytes[at] !== QUOTE || bytes[stop - 1] !== QUOTE) return false;
  for (let i = at + 1; i < stop - 1; i++) if (chars[bytes[i] as number] !== 1) return false;
  return true;
}

/** A quoted slug (slug.ts: lower-case letters and digits in runs joined by single hyphens). */
function quotedSlug(bytes: Buffer, at: number, stop: number): boolean {
  const length = stop - at - 2;
  if (length < 1 || length > SLUG_MAX_LENGTH || bytes[at] !== QUOTE || bytes[stop - 1] !== QUOTE) return false;
  let afterHyphen = true;
  for (let i = at + 1; i < stop - 1; i++) {
    const b = bytes[i] as number;
    if (SLUG_CHARS[b] === 1) afterHyphen = false;
    else if (b === 0x2d && !afterHyphen) afterHyphen = true;
    else return false;
  }
  return !afterHyphen;
}

/** A whole non-negative safe integer written as JSON writes it (no sign, fraction, exponent or leading zero), or -1. */
function countAt(bytes: Buffer, at: number, stop: number): number {
  const length = stop - at;
  if (length < 1 || length > 16 || (length > 1 && bytes[at] === DIGIT_0)) return -1;
  let n = 0;
  for (let i = at; i < stop; i++) {
    const digit = (bytes[i] as number) - DIGIT_0;
    if (digit < 0 || digit > 9) return -1;
    n = n * 10 + digit;
  }
  return Number.isSafeInteger(n) ? n : -1;
}
