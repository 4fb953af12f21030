// A test-only mirror of the assignment and receipt codes (src/assign/codec.rs, version 1), to
// write many codes quickly. It is checked against the app: trainer.spec.ts decodes codes the app
// made through its own UI and must re-encode them to the very same strings, and the app must
// then read every code this writes. Never used by the app itself.
//
// code = header (DJA1 / DJR1) + base64url(varint(len) ‖ payload ‖ CRC-32(header ‖ varint ‖ payload))

export type Kind = 'case' | 'workflow' | 'community' | 'module';
const KINDS: Kind[] = ['case', 'workflow', 'community', 'module'];

export interface Ref { kind: Kind; id: string }
export interface Assignment {
  id: string; title: string; trainer: string; note: string;
  /** Days since 2000-01-01. */
  dueDays: number; created: number; items: Ref[];
}
export interface ReceiptItem {
  item: Ref; assigned: boolean; completedAt: number | null;
  quiz: { best: number; passed: boolean } | null;
}
export interface Receipt {
  assignment: string; title: string; worker: string; created: number; items: ReceiptItem[];
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

class Writer {
  bytes: number[] = [];
  varint(v: bigint | number) {
    let x = BigInt(v);
    while (x >= 0x80n) {
      this.bytes.push(Number(x & 0x7fn) | 0x80);
      x >>= 7n;
    }
    this.bytes.push(Number(x));
  }
  string(s: string) {
    const b = Buffer.from(s, 'utf8');
    this.varint(b.length);
    this.bytes.push(...b);
  }
}

class Reader {
  at = 0;
  constructor(private bytes: Uint8Array) {}
  byte(): number {
    if (this.at >= this.bytes.length) throw new Error('short');
    return this.bytes[this.at++];
  }
  varint(): bigint {
    let v = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const b = this.byte();
      v |= BigInt(b & 0x7f) << shift;
      if (!(b & 0x80)) return v;
    }
  }
  string(): string {
    const len = Number(this.varint());
    const s = Buffer.from(this.bytes.subarray(this.at, this.at + len)).toString('utf8');
    this.at += len;
    return s;
  }
  done(): boolean {
    return this.at === this.bytes.length;
  }
}

function wrap(header: string, payload: number[]): string {
  const body = new Writer();
  body.varint(payload.length);
  body.bytes.push(...payload);
  const crc = crc32(Uint8Array.from([...Buffer.from(header, 'ascii'), ...body.bytes]));
  body.bytes.push((crc >>> 24) & 0xff, (crc >>> 16) & 0xff, (crc >>> 8) & 0xff, crc & 0xff);
  return header + Buffer.from(body.bytes).toString('base64url');
}

/** Frames any payload under any header with a sound length and checksum: for tests that need
 * codes the app never writes (another version, an unknown kind or flag, extra bytes). */
export function frameCode(header: string, payload: number[]): string {
  return wrap(header, payload);
}

export { Writer as PayloadWriter };

function unwrap(code: string, header: string): Reader {
  if (!code.startsWith(header)) throw new Error(`not ${header}`);
  const body = Uint8Array.from(Buffer.from(code.slice(4), 'base64url'));
  const r = new Reader(body);
  const len = Number(r.varint());
  const payload = body.subarray(r.at, r.at + len);
  const crc = Buffer.from(body.subarray(r.at + len, r.at + len + 4)).readUInt32BE(0);
  const expected = crc32(Uint8Array.from([...Buffer.from(header, 'ascii'), ...body.subarray(0, r.at + len)]));
  if (crc !== expected) throw new Error('checksum');
  return new Reader(payload);
}

const zigzag = (v: bigint) => (v >= 0n ? v << 1n : ((-v) << 1n) - 1n);
const unzigzag = (v: bigint) => (v & 1n ? -((v + 1n) >> 1n) : v >> 1n);

export function encodeAssignment(a: Assignment): string {
  const w = new Writer();
  for (const s of [a.id, a.title, a.trainer, a.note]) w.string(s);
  w.varint(a.dueDays);
  w.varint(a.created);
  w.varint(a.items.length);
  for (const i of a.items) {
    w.bytes.push(KINDS.indexOf(i.kind) + 1);
    w.string(i.id);
  }
  return wrap('DJA1', w.bytes);
}

export function decodeAssignment(code: string): Assignment {
  const r = unwrap(code, 'DJA1');
  const [id, title, trainer, note] = [r.string(), r.string(), r.string(), r.string()];
  const dueDays = Number(r.varint());
  const created = Number(r.varint());
  const items: Ref[] = [];
  for (let n = Number(r.varint()); n > 0; n--) {
    const kind = KINDS[r.byte() - 1];
    items.push({ kind, id: r.string() });
  }
  if (!r.done()) throw new Error('trailing bytes');
  return { id, title, trainer, note, dueDays, created, items };
}

export function encodeReceipt(rc: Receipt): string {
  const w = new Writer();
  for (const s of [rc.assignment, rc.title, rc.worker]) w.string(s);
  w.varint(rc.created);
  w.varint(rc.items.length);
  for (const i of rc.items) {
    let flags = KINDS.indexOf(i.item.kind) + 1;
    if (i.assigned) flags |= 8;
    if (i.completedAt !== null) flags |= 16;
    if (i.quiz) flags |= 32 | (i.quiz.passed ? 64 : 0);
    w.bytes.push(flags);
    w.string(i.item.id);
    if (i.completedAt !== null) w.varint(zigzag(BigInt(i.completedAt) - BigInt(rc.created)));
    if (i.quiz) w.bytes.push(i.quiz.best);
  }
  return wrap('DJR1', w.bytes);
}

export function decodeReceipt(code: string): Receipt {
  const r = unwrap(code, 'DJR1');
  const [assignment, title, worker] = [r.string(), r.string(), r.string()];
  const created = Number(r.varint());
  const items: ReceiptItem[] = [];
  for (let n = Number(r.varint()); n > 0; n--) {
    const flags = r.byte();
    const item = { kind: KINDS[(flags & 7) - 1], id: r.string() };
    const completedAt = flags & 16 ? Number(BigInt(created) + unzigzag(r.varint())) : null;
    const quiz = flags & 32 ? { best: r.byte(), passed: Boolean(flags & 64) } : null;
    items.push({ item, assigned: Boolean(flags & 8), completedAt, quiz });
  }
  if (!r.done()) throw new Error('trailing bytes');
  return { assignment, title, worker, created, items };
}

/** The code in a link or chat text: from DJA/DJR to the end of the base64url run. */
export function codeIn(text: string): string {
  const m = /DJ[AR][0-9A-Za-z_-]+/.exec(text);
  if (!m) throw new Error(`no code in ${text}`);
  return m[0];
}
