// Learns the dataset's columns and their types from every record, so keys that first appear late
// in the file get columns and a key's type reflects all of its values, not a sample.
import type { ColumnGroup, ColumnInfo, ColumnType, IngestWarnings } from '../../../pipeline/dataset-metadata.js';
import { DatasetFormatError } from './json-array-splitter.js';
import { isIntValue, RecordScanner, textAt } from './record-scanner.js';
import { readTimestamp, type TimestampPlan } from './timestamp-rule.js';

const DETECTION = 'object_detection';
const MACHINE_STATE = 'molding-machine-state';
const TIMESTAMP = 'timestamp';

type ValueKind = 'bool' | 'int' | 'float' | 'string' | 'object';

export interface DiscoveredColumn extends ColumnInfo {
  /** Keys from the record root to the value. */
  path: string[];
  /** Values of a kind other than the column type, stored as NULL. */
  wrongTypes: number;
}

interface LeafStats {
  path: string[];
  info: Omit<ColumnInfo, 'type' | 'name'> & { baseName: string };
  /** Its place in the key tree, which counts how often the same path held an object instead. */
  node: PathNode;
  firstSeen: number;
  counts: Record<ValueKind, number>;
}

export interface DiscoveredSchema {
  columns: DiscoveredColumn[];
  records: number;
  warnings: IngestWarnings;
  /** True when the nesting cannot be expressed as DuckDB structs and records must be flattened first. */
  needsFlattening: boolean;
  /** Every record has a timestamp, none earlier than the one before: no sort needed. */
  sortedByTime: boolean;
  timestamps: TimestampPlan;
  /** Longest record in characters, for DuckDB's maximum_object_size. */
  maxRecordLength: number;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function kindOf(value: unknown): ValueKind | null {
  switch (typeof value) {
    case 'boolean': return 'bool';
    // A number beyond a double's range (1e400, which JSON.parse reads as Infinity) fits no column:
    // counted with arrays as a value of a kind no column holds, and stored as NULL.
    case 'number': return !Number.isFinite(value) ? 'object' : isIntValue(value) ? 'int' : 'float';
    case 'string': return 'string';
    default: return value === null ? null : 'object';
  }
}

/**
 * Readable, flat column naming: `CycleTime`, `reject`, `flash_severity`, `flash_threshold`. A key's
 * lone surrogate (an escape such as \ud800) is U+FFFD in the name, as DuckDB stores it: the
 * dataset's description must name the columns the pack has.
 */
function describeLeaf(path: string[]): LeafStats['info'] {
  const keys = path.map((key) => key.toWellFormed());
  const [top, second, ...rest] = keys as [string, ...string[]];
  if (top === MACHINE_STATE && second !== undefined) {
    return { baseName: [second, ...rest].join('_'), group: 'machine_state' };
  }
  if (top === DETECTION && second !== undefined) {
    if (rest.length === 0) return { baseName: second, group: 'record' };
    const defectType = second.replace(/_defect$/, '');
    const measure = rest[0] === 'pixel_severity' ? severityMeasure(rest.slice(1)) : rest.join('_');
    return { baseName: `${defectType}_${measure}`, group: 'defect', defectType, measure };
  }
  return { baseName: keys.join('_'), group: 'record' };
}

function severityMeasure(keys: string[]): string {
  const key = keys.join('_');
  switch (key) {
    case 'value': return 'severity';
    case 'threshold': return 'threshold';
    case 'min_value': return 'severity_min';
    case 'max_value': return 'severity_max';
    default: return `severity_${key}`;
  }
}

const GROUP_ORDER: Record<ColumnGroup, number> = { record: 0, machine_state: 1, defect: 2 };
const RECORD_ORDER = [TIMESTAMP, 'molding_machine_id', 'version', 'reject'];

/** One key path seen in the data; walking records reuses these nodes instead of building path strings. */
interface PathNode {
  path: string[];
  children: Map<string, PathNode>;
  lowerCaseKeys: Set<string>;
  /** How often this path held an object. */
  objects: number;
  leaf: LeafStats | null;
}

const newNode = (path: string[]): PathNode => ({ path, children: new Map(), lowerCaseKeys: new Set(), objects: 0, leaf: null });

/** Value kinds by the record scanner's kind codes (KIND_NULL = 0 … KIND_STRING = 4). */
const SCANNED_KINDS: readonly (ValueKind | null)[] = [null, 'bool', 'int', 'float', 'string'];

/** The keys and nesting of records alike: where each of their leaf values sits. */
export interface RecordShape {
  /** Each leaf's key path, in the order of the record's text (and of the scanner's values). */
  readonly leaves: readonly { readonly path: string[] }[];
}

/**
 * A record structure seen before: where its objects and leaves land, in the scanner's order, and
 * what replayed records of it added (kept in arrays and added to the columns at the end: a replay is
 * then a few array increments per leaf).
 */
interface Structure extends RecordShape {
  hashB: number;
  leafCount: number;
  objectCount: number;
  /** False when a replay would not match the walk (e.g. a key repeated in an object): always parsed. */
  replayable: boolean;
  objects: PathNode[];
  leaves: PathNode[];
  replays: number;
  /** Per leaf, values of each scanner kind (null, bool, int, float, string). */
  tallies: Int32Array;
}

/** Beyond this many structures, records of a new one are parsed without being remembered (bounded memory). */
const MAX_STRUCTURES = 10_000;

export class ColumnDiscovery {
  private readonly root = newNode([]);
  private readonly leaves: LeafStats[] = [];
  private records = 0;
  private skipped = 0;
  /** Keys DuckDB cannot read as struct fields: two differing only in case, or an empty one. */
  private awkwardKeys = false;
  private maxRecordLength = 0;
  private lastTimestamp = -Infinity;
  private sortedByTime = true;
  private readonly timestamps: TimestampPlan = { encodings: {}, strings: false };
  private usableTimestamps = 0;
  /** Reads records for addBytes; a splitter given it reads each record once for both (see addBytes). */
  readonly scanner = new RecordScanner();
  /** Structures by the scanner's first hash (the rest of its identity is checked in the entry). */
  private readonly structures = new Map<number, Structure[]>();
  private structureCount = 0;
  /** Set while a record of a new structure is walked, to learn where its objects and leaves land. */
  private recording: { objects: PathNode[]; leaves: PathNode[] } | null = null;

  /** Parses one raw record; throws DatasetFormatError when it is not JSON at all. */
  addRaw(text: string, length = text.length): void {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch {
      throw new DatasetFormatError(`record ${this.records + this.skipped + 1} is not valid JSON`);
    }
    if (length > this.maxRecordLength) this.maxRecordLength = length;
    this.add(record);
  }

  /**
   * One record's UTF-8 bytes, `buf[start, end)`: replayed from the scanner's kinds when a record of the
   * same structure was parsed before (the same counts as parsing it), else parsed and its structure
   * learned. `scanned`: `this.scanner` has just read this record (a splitter that shares it).
   * Returns the record's shape when the scanner read it and its values are where the shape says
   * (`this.scanner` then holds them); null when it was left to JSON.parse.
   */
  addBytes(buf: Uint8Array, start: number, end: number, scanned = false): RecordShape | null {
    const length = end - start;
    const scanner = this.scanner;
    if (!scanned && !scanner.scan(buf, start, end)) return this.parsed(buf, start, end);
    const candidates = this.structures.get(scanner.hashA);
    const known = candidates?.find((s) => s.hashB === scanner.hashB && s.leafCount === scanner.leaves && s.objectCount === scanner.objects);
    if (known?.replayable) {
      this.replay(known, buf, start, length);
      return known;
    }
    if (known || this.structureCount >= MAX_STRUCTURES) return this.parsed(buf, start, end);
    const recording = (this.recording = { objects: [] as PathNode[], leaves: [] as PathNode[] });
    try {
      this.addRaw(textAt(buf, start, end), length);
    } finally {
      this.recording = null;
    }
    const structure: Structure = {
      hashB: scanner.hashB, leafCount: scanner.leaves, objectCount: scanner.objects,
      replayable: recording.objects.length === scanner.objects && recording.leaves.length === scanner.leaves,
      ...recording, replays: 0, tallies: new Int32Array(scanner.leaves * SCANNED_KINDS.length),
    };
    this.structures.set(scanner.hashA, [...(candidates ?? []), structure]);
    this.structureCount++;
    return structure.replayable ? structure : null;
  }

  private parsed(buf: Uint8Array, start: number, end: number): null {
    this.addRaw(textAt(buf, start, end), end - start);
    return null;
  }

  private replay(structure: Structure, buf: Uint8Array, start: number, length: number): void {
    const scanner = this.scanner;
    this.records++;
    if (length > this.maxRecordLength) this.maxRecordLength = length;
    const timestamp = scanner.timestampStart === -1 ? undefined
      : JSON.parse(textAt(buf, start + scanner.timestampStart, start + scanner.timestampEnd)) as unknown;
    this.readTimestamp(timestamp);
    structure.replays++;
    const { leaves, tallies } = structure;
    const kinds = scanner.kinds;
    for (let j = 0; j < leaves.length; j++) {
      const kind = kinds[j]!;
      // A leaf not there yet (its path held objects and the first value was null) is made in order.
      if (leaves[j]!.leaf) tallies[j * SCANNED_KINDS.length + kind]! += 1;
      else this.count(leaves[j]!, SCANNED_KINDS[kind] ?? null);
    }
  }

  /** Adds what replayed records tallied to their leaves and objects (counts only add up, so order is free). */
  private addReplays(): void {
    for (const structure of [...this.structures.values()].flat()) {
      for (const node of structure.objects) node.objects += structure.replays;
      structure.leaves.forEach(({ leaf }, j) => {
        if (!leaf) return; // only nulls were seen there, and nulls are not counted
        for (let kind = 1; kind < SCANNED_KINDS.length; kind++) {
          leaf.counts[SCANNED_KINDS[kind]!] += structure.tallies[j * SCANNED_KINDS.length + kind]!;
        }
      });
      structure.replays = 0;
      structure.tallies.fill(0);
    }
  }

  add(record: unknown): void {
    if (!isObject(record)) {
      this.skipped++;
      return;
    }
    this.records++;
    this.readTimestamp(record[TIMESTAMP]);
    this.walk(record, this.root);
  }

  private readTimestamp(value: unknown): void {
    const read = readTimestamp(value);
    if (!read) {
      this.sortedByTime = false;
      return;
    }
    this.usableTimestamps++;
    this.timestamps.encodings[read.encoding] = (this.timestamps.encodings[read.encoding] ?? 0) + 1;
    if (typeof value === 'string') this.timestamps.strings = true;
    if (read.micros >= this.lastTimestamp) this.lastTimestamp = read.micros;
    else this.sortedByTime = false;
  }

  private walk(object: Record<string, unknown>, node: PathNode): void {
    node.objects++;
    this.recording?.objects.push(node);
    for (const key in object) {
      const value = object[key];
      const child = node.children.get(key) ?? this.addChild(node, key);
      if (isObject(value) && !(node === this.root && key === TIMESTAMP)) {
        this.walk(value, child);
      } else {
        this.recording?.leaves.push(child);
        this.count(child, kindOf(value));
      }
    }
  }

  private addChild(node: PathNode, key: string): PathNode {
    const child = newNode([...node.path, key]);
    node.children.set(key, child);
    const lower = key.toLowerCase();
    if (node.lowerCaseKeys.has(lower) || key === '') this.awkwardKeys = true;
    node.lowerCaseKeys.add(lower);
    return child;
  }

  /** One value at a leaf's path, by kind (null for a JSON null). */
  private count(node: PathNode, kind: ValueKind | null): void {
    let leaf = node.leaf;
    if (!leaf) {
      if (node.objects > 0 && kind === null) return;
      leaf = node.leaf = {
        path: node.path, node, info: describeLeaf(node.path), firstSeen: this.leaves.length,
        counts: { bool: 0, int: 0, float: 0, string: 0, object: 0 },
      };
      this.leaves.push(leaf);
    }
    if (kind) leaf.counts[kind]++;
  }

  finish(): DiscoveredSchema {
    this.addReplays();
    const columns: DiscoveredColumn[] = [];
    const wrongTypes: Record<string, number> = {};
    let conflicts = false;
    const sorted = [...this.leaves].sort((a, b) =>
      GROUP_ORDER[a.info.group] - GROUP_ORDER[b.info.group] || recordRank(a) - recordRank(b) || a.firstSeen - b.firstSeen);
    const usedNames = new Set<string>();
    for (const leaf of sorted) {
      const objects = leaf.node.objects;
      if (objects > 0) {
        conflicts = true;
        // Mostly an object here: the odd scalar is a wrong value, not a column of its own.
        const scalars = valueCount(leaf) - leaf.counts.object - objects;
        if (objects >= scalars) {
          const name = named(leaf.info.baseName);
          wrongTypes[name] = (wrongTypes[name] ?? 0) + scalars;
          continue;
        }
      }
      const { type, wrong } = isTimestamp(leaf)
        ? { type: 'TIMESTAMP' as const, wrong: valueCount(leaf) - this.usableTimestamps }
        : decideType(leaf);
      const name = uniqueName(leaf.info.baseName, usedNames);
      const { baseName: _unused, ...info } = leaf.info;
      columns.push({ ...info, name, type, path: leaf.path, wrongTypes: wrong });
      if (wrong > 0) wrongTypes[name] = wrong;
    }
    return {
      columns,
      records: this.records,
      warnings: {
        skippedRecords: this.skipped,
        wrongTypes,
        missingTimestamps: this.records - this.usableTimestamps,
        timestampEncodings: this.timestamps.encodings,
      },
      needsFlattening: conflicts || this.awkwardKeys || this.skipped > 0,
      maxRecordLength: this.maxRecordLength,
      sortedByTime: this.sortedByTime,
      timestamps: this.timestamps,
    };
  }
}

/** Every non-null value at the leaf's path: objects count too (the node saw them all, even before the leaf existed). */
function valueCount({ counts, node }: LeafStats): number {
  return counts.bool + counts.int + counts.float + counts.string + counts.object + node.objects;
}

function recordRank(leaf: LeafStats): number {
  if (leaf.info.group !== 'record') return 0;
  const index = RECORD_ORDER.indexOf(leaf.info.baseName);
  return index === -1 ? RECORD_ORDER.length : index;
}

const isTimestamp = (leaf: LeafStats) => leaf.path.length === 1 && leaf.path[0] === TIMESTAMP;

function decideType(leaf: LeafStats): { type: ColumnType; wrong: number } {
  const c = leaf.counts;
  const total = valueCount(leaf);
  const numeric = c.int + c.float;
  if (numeric >= c.bool && numeric >= c.string) {
    return { type: c.float > 0 || numeric === 0 ? 'DOUBLE' : 'BIGINT', wrong: total - numeric };
  }
  if (c.bool >= c.string) return { type: 'BOOLEAN', wrong: total - c.bool };
  return { type: 'VARCHAR', wrong: total - c.string };
}

/** An empty key is named `unnamed`, in its column and in the warnings: DuckDB takes no empty name. */
const named = (base: string): string => base || 'unnamed';

function uniqueName(base: string, used: Set<string>): string {
  base = named(base);
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++) name = `${base}_${n}`;
  used.add(name.toLowerCase());
  return name;
}
