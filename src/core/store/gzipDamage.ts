// What a damaged gzip file still holds (a segment, or a file `codetrail audit` reads). Node's
// gunzip stops at the first bad byte and drops what it had inflated from the same piece of input:
// bytes appended after the compressed data made a whole small segment unreadable. On damage the
// file is read again, member by member (RFC 1952), each inflated as far as it goes.
import { openForReading } from '../base/confine';
import { constants, crc32, inflateRawSync } from 'node:zlib';

/** Larger files are not read whole to be recovered, nor inflated beyond this (a segment is rotated at a few megabytes). */
const MAX_FILE_BYTES = 256 * 1024 * 1024;
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

interface Inflated {
  /** Every byte the file's members inflate to, up to the damage. */
  bytes: Buffer;
  /** What stopped it; undefined when the file is whole. */
  damage: string | undefined;
}

/**
 * A gunzip stream's bytes, and when it stops at damage, the rest of what the file inflates to up to
 * the damage; then an error naming the damage (its `code` as zlib's: Z_BUF_ERROR when cut short,
 * Z_DATA_ERROR otherwise).
 */
export async function* gunzippedUpToDamage(gunzipped: AsyncIterable<Buffer>, file: string): AsyncGenerator<Buffer> {
  let handed = 0;
  try {
    for await (const chunk of gunzipped) {
      handed += chunk.length;
      yield chunk;
    }
  } catch (err) {
    if (!String((err as NodeJS.ErrnoException).code).startsWith('Z_')) throw err;
    const inflated = await inflateUpToDamage(file);
    if (!inflated || inflated.bytes.length < handed) throw err;
    if (inflated.bytes.length > handed) yield inflated.bytes.subarray(handed);
    if (!inflated.damage) throw err;
    throw Object.assign(new Error(inflated.damage), { code: inflated.damage === CUT_SHORT ? 'Z_BUF_ERROR' : 'Z_DATA_ERROR' });
  }
}

const CUT_SHORT = 'compressed data cut short';

/** The file inflated up to its damage; undefined when it cannot be read again or is too large to. */
async function inflateUpToDamage(file: string): Promise<Inflated | undefined> {
  // As the reader opened it: never through a symbolic link.
  const handle = await openForReading(file).catch(() => undefined);
  if (!handle) return undefined;
  try {
    const { size } = await handle.stat();
    return size > MAX_FILE_BYTES ? undefined : inflateMembers(await handle.readFile());
  } catch {
    return undefined;
  } finally {
    await handle.close();
  }
}

function inflateMembers(data: Buffer): Inflated | undefined {
  const out: Buffer[] = [];
  let outBytes = 0;
  let at = 0;
  while (at < data.length) {
    const body = bodyStart(data, at);
    if (body === undefined) return { bytes: Buffer.concat(out), damage: `${data.length - at} byte(s) after the end of the compressed data` };
    const member = inflatePrefix(data.subarray(body), MAX_OUTPUT_BYTES - outBytes);
    if (!member) return undefined;
    // The member's end is followed by its CRC-32 and length: 8 bytes.
    const trailer = body + member.consumed;
    if (!member.ended || trailer + 8 > data.length) {
      // As gunzip does: what inflated before the damage, unchecked (the checksum covers the whole member).
      out.push(member.bytes);
      return { bytes: Buffer.concat(out), damage: member.corrupt ? 'corrupt compressed data' : CUT_SHORT };
    }
    // A member whose checksum fails holds changed bytes somewhere: none of it is taken.
    if (data.readUInt32LE(trailer) !== crc32(member.bytes) || data.readUInt32LE(trailer + 4) !== member.bytes.length % 2 ** 32)
      return { bytes: Buffer.concat(out), damage: 'compressed data that fails its checksum' };
    out.push(member.bytes);
    outBytes += member.bytes.length;
    at = trailer + 8;
  }
  return { bytes: Buffer.concat(out), damage: undefined };
}

/** Where a member's compressed data starts, after its header at `at`; undefined when there is no valid header there. */
function bodyStart(data: Buffer, at: number): number | undefined {
  if (data.length - at < 10 || data[at] !== 0x1f || data[at + 1] !== 0x8b || data[at + 2] !== 8) return undefined;
  const flags = data[at + 3]!;
  if (flags & 0xe0) return undefined;
  let p = at + 10;
  if (flags & 4) p += 2 + (data.length >= p + 2 ? data.readUInt16LE(p) : 0);
  for (const bit of [8, 16]) if (flags & bit) p = data.indexOf(0, p) + 1 || data.length + 1;
  if (flags & 2) p += 2;
  return p <= data.length ? p : undefined;
}

/** A member's deflate data inflated as far as it is whole: all of it, or the longest prefix that inflates. */
function inflatePrefix(body: Buffer, maxOutput: number): { bytes: Buffer; consumed: number; ended: boolean; corrupt: boolean } | undefined {
  const inflate = (length: number) => inflateRawSync(body.subarray(0, length), { info: true, finishFlush: constants.Z_SYNC_FLUSH, maxOutputLength: maxOutput });
  try {
    const { buffer, engine } = inflate(body.length) as unknown as { buffer: Buffer; engine: { bytesWritten: number } };
    // Inflate stops at the end of the deflate data: input left over means the member ended.
    return { bytes: buffer, consumed: engine.bytesWritten, ended: engine.bytesWritten < body.length, corrupt: false };
  } catch (err) {
    if (err instanceof RangeError) return undefined; // more than a segment could hold: not recovered
  }
  // Corrupt somewhere: the longest prefix that still inflates (input up to the bad block).
  let [good, bad] = [0, body.length];
  while (bad - good > 1) {
    const mid = Math.floor((good + bad) / 2);
    try {
      inflate(mid);
      good = mid;
    } catch {
      bad = mid;
    }
  }
  const { buffer } = inflate(good) as unknown as { buffer: Buffer };
  return { bytes: buffer, consumed: good, ended: false, corrupt: true };
}
