/**
 * Unsigned LEB128 varints (7 bits a byte, high bit "more"), for the packed state layouts: an HLL
 * entry delta or a count is one to three bytes instead of the 8 a JavaScript array slot costs.
 * Values up to 2^53 (arithmetic, not 32-bit shifts, past 2^28).
 */
export class ByteWriter {
  #bytes = new Uint8Array(256);
  #length = 0;

  get length(): number {
    return this.#length;
  }

  uint(value: number): void {
    this.#room(8);
    let v = value;
    while (v >= 0x80) {
      this.#bytes[this.#length++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.#bytes[this.#length++] = v;
  }

  bytes(chunk: Uint8Array): void {
    this.#room(chunk.length);
    this.#bytes.set(chunk, this.#length);
    this.#length += chunk.length;
  }

  /** A copy of what was written, exactly as long (it outlives this writer's spare room). */
  finish(): Uint8Array {
    return this.#bytes.slice(0, this.#length);
  }

  #room(n: number): void {
    if (this.#length + n <= this.#bytes.length) return;
    const next = new Uint8Array(Math.max(this.#bytes.length * 2, this.#length + n));
    next.set(this.#bytes.subarray(0, this.#length));
    this.#bytes = next;
  }
}

/** Reads varints from `bytes` starting at `pos`; `pos` moves past what was read. */
export class ByteReader {
  readonly bytes: Uint8Array;
  pos: number;

  constructor(bytes: Uint8Array, pos = 0) {
    this.bytes = bytes;
    this.pos = pos;
  }

  uint(): number {
    let value = 0;
    let scale = 1;
    for (;;) {
      const byte = this.bytes[this.pos++];
      if (byte === undefined) throw new Error('a packed state value ends inside a number: the row is truncated or not in this format');
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
      scale *= 0x80;
    }
  }

  take(n: number): Uint8Array {
    if (this.pos + n > this.bytes.length) throw new Error('a packed state value is shorter than it says: the row is truncated or not in this format');
    const out = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
}
