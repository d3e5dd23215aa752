// Splits a streamed top-level JSON array into the raw bytes of its elements, byte by byte, so a
// file of any size is parsed one record at a time. Only structure is tracked here (depth, strings);
// each element is validated by the caller (JSON.parse, or the record scanner). Given a record
// scanner, the splitter lets it read each object element (one pass over the bytes instead of two)
// and skips through only what the scanner leaves to JSON.parse.
import { NEEDS_MORE, type RecordScanner } from './record-scanner.js';

const QUOTE = 0x22, BACKSLASH = 0x5c, COMMA = 0x2c;
const OPEN_BRACE = 0x7b, CLOSE_BRACE = 0x7d, OPEN_BRACKET = 0x5b, CLOSE_BRACKET = 0x5d;

export class DatasetFormatError extends Error {}

/** An unfinished element longer than this is no longer scanned from its start at each chunk. */
const RESCAN_LIMIT = 1 << 20;

/** Byte classes inside a record: only quotes and brackets matter there. */
const INSIDE_QUOTE = 1, INSIDE_OPEN = 2, INSIDE_CLOSE = 3;
const INSIDE_CLASS = new Uint8Array(256);
INSIDE_CLASS[QUOTE] = INSIDE_QUOTE;
INSIDE_CLASS[OPEN_BRACE] = INSIDE_CLASS[OPEN_BRACKET] = INSIDE_OPEN;
INSIDE_CLASS[CLOSE_BRACE] = INSIDE_CLASS[CLOSE_BRACKET] = INSIDE_CLOSE;

/** The index of the quote that closes the string whose content starts at `from`, or -1. */
function closingQuote(buf: Buffer, from: number): number {
  // A byte loop beats indexOf here: most strings are short keys.
  for (let i = from, n = buf.length; i < n; i++) {
    const b = buf[i];
    if (b === QUOTE) return i;
    if (b === BACKSLASH) i++;
  }
  return -1;
}

const isWhitespace = (b: number) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

function describeStart(byte: number): string {
  if (byte === 0x3c) return 'the download is an HTML page, not a JSON array';
  if (byte === OPEN_BRACE) return 'the JSON is an object, not an array of records';
  return 'the download is not JSON (it must be a JSON array of records)';
}

export class JsonArraySplitter {
  private state: 'before' | 'inside' | 'after' = 'before';
  private carry: Buffer = Buffer.alloc(0);
  /** Offset in `carry` where the current element starts, or -1 between elements. */
  private elementStart = -1;
  private depth = 0;
  private inString = false;
  private scanned = 0;
  private elements = 0;
  private expectValue = true;
  /** The current element is an object, array or string that has closed: only `,` or `]` may follow. */
  private elementClosed = false;
  /** The scanner read the current element: its findings are still in the scanner. */
  private elementScanned = false;

  /**
   * `onElement` sees each element's bytes, valid only during the call (copy what must outlive it), and
   * whether `scanner` read it.
   */
  constructor(private readonly onElement: (bytes: Buffer, scanned: boolean) => void, private readonly scanner?: RecordScanner) {}

  get count(): number {
    return this.elements;
  }

  push(chunk: Buffer): void {
    const buf = this.carry.length ? Buffer.concat([this.carry, chunk]) : chunk;
    let i = this.scanned;
    const n = buf.length;
    while (i < n) {
      const b = buf[i]!;
      if (this.state === 'before') {
        if (isWhitespace(b) || (i < 3 && (b === 0xef || b === 0xbb || b === 0xbf))) { i++; continue; }
        if (b !== OPEN_BRACKET) throw new DatasetFormatError(describeStart(b));
        this.state = 'inside';
        i++;
        continue;
      }
      if (this.state === 'after') {
        if (!isWhitespace(b)) throw new DatasetFormatError('unexpected data after the end of the JSON array');
        i++;
        continue;
      }
      if (this.inString) {
        const quote = closingQuote(buf, i);
        if (quote === -1) break; // rescan this string when more bytes arrive
        i = quote + 1;
        this.inString = false;
        this.elementClosed = this.depth === 0;
        continue;
      }
      if (this.depth > 0) {
        // The hot loop: skip through a record to its closing bracket.
        let depth = this.depth;
        while (i < n && depth > 0) {
          const kind = INSIDE_CLASS[buf[i]!];
          if (kind === INSIDE_QUOTE) {
            const quote = closingQuote(buf, i + 1);
            if (quote === -1) { this.inString = true; i++; break; }
            i = quote + 1;
            continue;
          }
          if (kind === INSIDE_OPEN) depth++;
          else if (kind === INSIDE_CLOSE) depth--;
          i++;
        }
        this.depth = depth;
        if (this.inString) break;
        if (depth === 0) this.elementClosed = true;
        continue;
      }
      if (b === QUOTE) {
        this.startElementAt(i);
        this.inString = true;
      } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        this.startElementAt(i);
        // Only an element that is this object can be scanned: text before the brace makes it
        // invalid, and the scanner's positions would not be the element's.
        if (b === OPEN_BRACE && this.scanner && this.elementStart === i) {
          const close = this.scanner.scanRecord(buf, i, n);
          // Scan the element again when more bytes arrive, unless it is already large: then skip
          // through it below instead of scanning its start again for every chunk.
          if (close === NEEDS_MORE && n - i < RESCAN_LIMIT) break;
          if (close >= 0) {
            this.elementScanned = this.elementClosed = true;
            i = close;
            continue;
          }
        }
        this.depth++;
      } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        if (this.depth > 0) {
          this.depth--;
          this.elementClosed = this.depth === 0;
        } else if (b === CLOSE_BRACKET) {
          if (this.elementStart !== -1) this.emit(buf, i);
          else if (this.elements > 0) throw new DatasetFormatError('the JSON array has a trailing comma');
          this.state = 'after';
        } else throw new DatasetFormatError(`the JSON is malformed near record ${this.elements + 1}`);
      } else if (b === COMMA && this.depth === 0) {
        if (this.elementStart === -1) throw new DatasetFormatError(`the JSON is malformed near record ${this.elements + 1}`);
        this.emit(buf, i);
        this.expectValue = true;
      } else if (!isWhitespace(b)) {
        this.startElementAt(i);
      }
      i++;
    }
    // Keep only the unfinished element for the next chunk.
    const keepFrom = this.elementStart === -1 ? n : this.elementStart;
    this.carry = buf.subarray(keepFrom);
    this.scanned = i - keepFrom;
    if (this.elementStart !== -1) this.elementStart = 0;
    if (this.carry.length > 512 * 1024 * 1024) throw new DatasetFormatError('a single record is larger than 512 MB');
  }

  /** Call at end of input: throws unless a complete, non-empty array was read. */
  end(): void {
    if (this.state === 'before') throw new DatasetFormatError('the download is empty');
    if (this.state === 'inside') throw new DatasetFormatError(`the JSON array is truncated after ${this.elements} records`);
  }

  private startElementAt(i: number): void {
    if (this.depth > 0) return;
    if (this.elementClosed) throw new DatasetFormatError(`a comma is missing after record ${this.elements + 1}`);
    if (this.elementStart === -1) {
      if (!this.expectValue) throw new DatasetFormatError(`a comma is missing after record ${this.elements}`);
      this.elementStart = i;
      this.expectValue = false;
    }
  }

  private emit(buf: Buffer, end: number): void {
    const bytes = buf.subarray(this.elementStart, end);
    const scanned = this.elementScanned;
    this.elementStart = -1;
    this.elementClosed = this.elementScanned = false;
    this.elements++;
    this.onElement(bytes, scanned);
  }
}
