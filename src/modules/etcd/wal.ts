// What a stopped member's write-ahead log really holds: the last raft entry (term, index) and
// the last hard state (term, commit) of its newest WAL segment. A member killed hard has
// committed entries in its WAL that its db does not hold yet (etcd replays them at start), so
// the db's revision alone undercounts it. Pure: parses the bytes of a segment, no I/O.
//
// etcd's WAL framing (server/storage/wal: encoder.go / decoder.go), read, not copied:
//   frame   = 8-byte little-endian length field, then the record, then 0..7 padding bytes;
//             the lower 56 bits are the record's length, a set top bit means padding, whose
//             count is in the low 3 bits of the top byte; a zero length field ends the data
//             (the rest of a preallocated segment is zeros)
//   record  = protobuf walpb.Record { 1: type, 2: crc (uint32), 3: data }
//   types   = 1 metadata, 2 entry (raftpb.Entry {1: type, 2: term, 3: index}),
//             3 state (raftpb.HardState {1: term, 2: vote, 3: commit}),
//             4 crc (the running CRC of the previous segment: the seed of this one),
//             5 snapshot (walpb.Snapshot {1: index, 2: term})
//   crc     = CRC-32C (Castagnoli) of every record's data since the seed, chained.
// A segment always starts with crc, metadata and (since 3.x) the hard state, so the newest
// segment alone is enough; a torn last record (power cut mid-write) ends the reading there.

export interface WalPosition {
  /** term and index of the last entry in the log (0 when the segment has none) */
  readonly last_term: number;
  readonly last_index: number;
  /** the last hard state: raft term and commit index (what the member knows is committed) */
  readonly hard_term: number;
  readonly commit: number;
  /** the last snapshot record (raft snapshot index and term) */
  readonly snapshot_index: number;
  readonly snapshot_term: number;
  /** records read; true when the end was a torn or corrupt record rather than clean zeros */
  readonly records: number;
  readonly torn: boolean;
  /** bytes of the segment holding records (to read only that much next time) */
  readonly end: number;
}

const CASTAGNOLI = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c >>> 0;
  }
  return t;
})();

/** crc32c(prev ‖ data) from crc32c(prev): the chaining Go's crc32.Update does. */
export function crc32c(prev: number, data: Uint8Array): number {
  let c = ~prev >>> 0;
  for (const b of data) c = CASTAGNOLI[(c ^ b) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}

/** protobuf fields of a message: varints as numbers, length-delimited as byte slices. */
function fields(buf: Uint8Array): Map<number, number | Uint8Array> | undefined {
  const out = new Map<number, number | Uint8Array>();
  let i = 0;
  const varint = (): number | undefined => {
    let n = 0;
    let mul = 1;
    for (let shift = 0; shift < 64; shift += 7) {
      if (i >= buf.length) return undefined;
      const b = buf[i++]!;
      n += (b & 0x7f) * mul;
      mul *= 128;
      if ((b & 0x80) === 0) return n;
    }
    return undefined;
  };
  while (i < buf.length) {
    const key = varint();
    if (key === undefined) return undefined;
    const field = Math.floor(key / 8);
    const wire = key % 8;
    if (wire === 0) {
      const v = varint();
      if (v === undefined) return undefined;
      out.set(field, v);
    } else if (wire === 2) {
      const len = varint();
      if (len === undefined || i + len > buf.length) return undefined;
      out.set(field, buf.subarray(i, i + len));
      i += len;
    } else if (wire === 1) i += 8;
    else if (wire === 5) i += 4;
    else return undefined;
  }
  return out;
}

const n = (f: Map<number, number | Uint8Array> | undefined, k: number): number => {
  const v = f?.get(k);
  return typeof v === 'number' ? v : 0;
};

/** Reads a WAL segment's records up to the end of its data (or its first bad record). */
export function readWalSegment(seg: Uint8Array): WalPosition {
  const view = new DataView(seg.buffer, seg.byteOffset, seg.byteLength);
  const pos = {
    last_term: 0,
    last_index: 0,
    hard_term: 0,
    commit: 0,
    snapshot_index: 0,
    snapshot_term: 0,
    records: 0,
    torn: false,
    end: 0,
  };
  let off = 0;
  let crc = 0;
  while (off + 8 <= seg.length) {
    const lenField = view.getBigUint64(off, true);
    if (lenField === 0n) break;
    const recBytes = Number(lenField & 0x00ffffffffffffffn);
    const padBytes = lenField & 0x8000000000000000n ? Number((lenField >> 56n) & 7n) : 0;
    if (off + 8 + recBytes + padBytes > seg.length) {
      pos.torn = true;
      break;
    }
    const rec = fields(seg.subarray(off + 8, off + 8 + recBytes));
    const type = n(rec, 1);
    const data = rec?.get(3);
    const bytes = data instanceof Uint8Array ? data : new Uint8Array(0);
    if (!rec || type < 1 || type > 5) {
      pos.torn = true;
      break;
    }
    if (type === 4) crc = n(rec, 2);
    else {
      crc = crc32c(crc, bytes);
      if (crc !== n(rec, 2) >>> 0) {
        pos.torn = true;
        break;
      }
    }
    if (type === 2) {
      const e = fields(bytes);
      pos.last_term = n(e, 2);
      pos.last_index = n(e, 3);
    } else if (type === 3) {
      const h = fields(bytes);
      // an empty hard state (all zero) is written by some versions at a cut: keep the last real one
      if (n(h, 1) || n(h, 3)) {
        pos.hard_term = n(h, 1);
        pos.commit = n(h, 3);
      }
    } else if (type === 5) {
      const s = fields(bytes);
      pos.snapshot_index = n(s, 1);
      pos.snapshot_term = n(s, 2);
    }
    pos.records++;
    off += 8 + recBytes + padBytes;
    pos.end = off;
  }
  return pos;
}

/** `0000000000000003-00000000000004a1.wal` → [seq, index of its first entry]; undefined for other names. */
export function walName(name: string): [number, number] | undefined {
  const m = /^([0-9a-f]{16})-([0-9a-f]{16})\.wal$/.exec(name);
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16)] : undefined;
}

/** `0000000000000002-0000000000002711.snap` → [term, index] */
export function snapName(name: string): [number, number] | undefined {
  const m = /^([0-9a-f]{16})-([0-9a-f]{16})\.snap$/.exec(name);
  return m ? [parseInt(m[1]!, 16), parseInt(m[2]!, 16)] : undefined;
}

/** The newest segment of a wal dir listing (highest sequence). */
export function newestSegment(names: readonly string[]): string | undefined {
  return names.filter((x) => walName(x)).sort((a, b) => walName(b)![0] - walName(a)![0])[0];
}
