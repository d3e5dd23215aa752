// Real DuckDB-WASM in the real worker, over a pack made by the server's own ingest: guards the
// storage-format match and the whole spec → SQL → Arrow path.
import type { DatasetInfo } from '../../../../pipeline/columns';
import { Table, tableFromArrays, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { DuckDbClient, WorkerError } from './duckdb-client';
import type { WorkerResponse } from './worker-protocol';
import { specToCubeSql, specToSql } from '../../../../pipeline/spec-to-sql';
import { resultToTable } from '../../../../pipeline/result-to-option';
import type { ViewSpec } from '../../../../pipeline/view-spec';

interface Fixture {
  metadata: DatasetInfo;
  expected: { rows: number; rejects: number; meanCycleTime: Record<string, number> };
}

describe('DuckDbClient with the DuckDB-WASM worker', () => {
  let client: DuckDbClient;
  let fixture: Fixture;
  let stored: Promise<WorkerResponse>;

  beforeAll(async () => {
    fixture = await (await fetch('/test-fixtures/fixture.json')).json() as Fixture;
    let storedNow: (message: WorkerResponse) => void;
    stored = new Promise((resolve) => (storedNow = resolve));
    client = new DuckDbClient(new Worker(new URL('./duckdb.worker', import.meta.url), { type: 'module' }),
      (message) => message.type === 'stored' && storedNow(message));
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('packs', { recursive: true }).catch(() => {});
    const stages: string[] = [];
    const { packFile, packUrl, packBytes } = fixture.metadata;
    const { source, storage } = await client.open({ file: packFile, url: packUrl, bytes: packBytes }, true, (p) => stages.push(p.stage));
    expect(source).toBe('http');
    expect(storage).toBe('opfs');
    expect(stages).toContain('attaching');
  }, 60_000);

  afterAll(() => client.terminate());

  it('attaches the pack read-only and counts rows and rejects', async () => {
    const table = tableFromIPC((await client.query('SELECT count(*)::DOUBLE AS n, count_if(reject)::DOUBLE AS rejects FROM pack.records', [])).ipc);
    expect(table.getChild('n')!.get(0)).toBe(fixture.expected.rows);
    expect(table.getChild('rejects')!.get(0)).toBe(fixture.expected.rejects);
  });

  it('answers a view spec with the same figures as the JSON, binding filter values', async () => {
    const spec: ViewSpec = { title: '', chart: 'bar', x: { kind: 'field', field: 'molding_machine_id' },
      y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: { presses: ['molding-machine-1', "x' OR 1=1 --"] } };
    const query = specToSql(spec, { columns: fixture.metadata.columns, timeRange: fixture.metadata.timeRange });
    const table = tableFromIPC((await client.query(query.sql, query.params)).ipc);
    const rows = resultToTable(spec, query, table).rows;
    expect(rows.length).toBe(1);
    expect(rows[0]![0]).toBe('molding-machine-1');
    expect(rows[0]![1] as number).toBeCloseTo(fixture.expected.meanCycleTime['molding-machine-1']!, 9);
  });

  /** The mean cycle time of one press, per press: the same statement text whatever the press. */
  const meanOfPress = (press: string): ViewSpec => ({ title: '', chart: 'bar', x: { kind: 'field', field: 'molding_machine_id' },
    y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: { presses: [press] } });
  const context = () => ({ columns: fixture.metadata.columns, timeRange: fixture.metadata.timeRange });

  /** Mean cycle time of one press, by the same statement text whatever the press (the worker keeps it prepared). */
  const meanCycleTime = async (press: string) => {
    const query = specToSql(meanOfPress(press), context());
    return resultToTable(meanOfPress(press), query, tableFromIPC((await client.query(query.sql, query.params)).ipc)).rows[0]![1] as number;
  };

  /** Once the background download has stored the pack, the worker attaches that copy instead. */
  const openStoredCopy = async () => {
    expect(await stored).toEqual({ type: 'stored', id: 1, file: fixture.metadata.packFile });
    const { packFile, packUrl, packBytes } = fixture.metadata;
    expect((await client.open({ file: packFile, url: packUrl, bytes: packBytes }, false)).source).toBe('stored');
  };

  it('runs a statement it ran before with new parameters, and again once another copy of the pack is attached', async () => {
    const presses = Object.keys(fixture.expected.meanCycleTime);
    expect(presses.length).toBeGreaterThan(1);
    for (const press of [...presses, ...presses]) expect(await meanCycleTime(press)).toBeCloseTo(fixture.expected.meanCycleTime[press]!, 9);
    await openStoredCopy();
    for (const press of presses) expect(await meanCycleTime(press)).toBeCloseTo(fixture.expected.meanCycleTime[press]!, 9);
  });

  it('answers press filters from a view\'s pre-aggregated table, filled ahead or by the first query, also after another copy is attached', async () => {
    const presses = Object.keys(fixture.expected.meanCycleTime);
    const cube = specToCubeSql(meanOfPress(presses[0]!), context())!.cube!;
    const meanFromCube = async (press: string) => {
      const raw = specToSql(meanOfPress(press), context());
      const cubed = specToCubeSql(meanOfPress(press), context())!;
      expect(cubed.cube!.name).toBe(cube.name); // one table for every press
      const table = tableFromIPC((await client.query(raw.sql, raw.params, { sql: cubed.sql, params: cubed.params, cube: cubed.cube! })).ipc);
      return resultToTable(meanOfPress(press), cubed, table).rows[0]![1] as number;
    };
    await client.prepare(cube);
    for (const press of [...presses, ...presses]) expect(await meanFromCube(press)).toBeCloseTo(fixture.expected.meanCycleTime[press]!, 9);
    // The stored copy of the same pack replaces the reads over HTTP: the table's answers stand.
    await openStoredCopy();
    for (const press of presses) expect(await meanFromCube(press)).toBeCloseTo(fixture.expected.meanCycleTime[press]!, 9);
  });

  it('plans a view\'s statement over its table when it fills the table ahead, so its first press filter only runs it', async () => {
    await openStoredCopy(); // stored: a table asked for ahead is filled at once, not after the download
    const presses = Object.keys(fixture.expected.meanCycleTime);
    const maxOfPress = (press: string): ViewSpec => ({ ...meanOfPress(press), y: [{ field: 'CycleTime', agg: 'max' }] });
    const ahead = specToCubeSql(maxOfPress(presses[0]!), context())!;
    await client.prepare(ahead.cube!, { read: ahead.sql });
    for (const press of presses) {
      const raw = specToSql(maxOfPress(press), context());
      const cubed = specToCubeSql(maxOfPress(press), context())!;
      const fromCube = await client.query(raw.sql, raw.params, { sql: cubed.sql, params: cubed.params, cube: cubed.cube! });
      expect(fromCube.planned).withContext(`${press}: the statement planned ahead`).toBeFalse();
      // The dataset's own statement, never run before, is planned: and it gives the same figure.
      const fromDataset = await client.query(raw.sql, raw.params);
      expect(fromDataset.planned).withContext(press).toBe(press === presses[0]);
      const max = (ipc: Uint8Array) => resultToTable(maxOfPress(press), raw, tableFromIPC(ipc)).rows[0]![1];
      expect(max(fromCube.ipc)).withContext(press).toBe(max(fromDataset.ipc));
    }
  });

  it('answers from the dataset when a cube cannot be filled or would hold more rows than it saves', async () => {
    const plain = 'SELECT count(*)::DOUBLE AS n FROM pack.records';
    // Each cube's query answers -1, so an answer from a cube tells itself apart from the dataset's count.
    const answer = async (name: string, fill: string) => tableFromIPC((await client.query(plain, [],
      { sql: `SELECT -1::DOUBLE AS n FROM ${name} LIMIT 1`, params: [], cube: { name, sql: fill, params: [] } })).ipc).getChild('n')!.get(0);
    expect(await answer('cube_small0', 'SELECT range AS v FROM range(10)')).toBe(-1);
    expect(await answer('cube_broken0', 'SELECT no_such_column FROM pack.records')).toBe(fixture.expected.rows);
    expect(await answer('cube_huge0', 'SELECT range AS v FROM range(200000)')).toBe(fixture.expected.rows);
    // Given up on, not filled again.
    expect(await answer('cube_huge0', 'SELECT range AS v FROM range(200000)')).toBe(fixture.expected.rows);
  });

  it('fills a cube from the rows the server sent, typed as its own statement types them, or scans when they cannot be read', async () => {
    const rowsOf = (values: number[]) => tableToIPC(tableFromArrays({ v: Float64Array.from(values) }), 'stream');
    const read = async (name: string) => tableFromIPC((await client.query(`SELECT sum(v)::DOUBLE AS total, any_value(typeof(v)) AS type FROM ${name}`, [])).ipc);
    // Scanned, the statement gives 0…9 (45): the table holds the rows sent instead, as the statement's BIGINT.
    const statement = 'SELECT range::BIGINT AS v FROM range(10)';
    const pack = fixture.metadata.packFile;
    await client.prepare({ name: 'cube_sent0', sql: statement, params: [] }, { rows: { pack, ipc: rowsOf([100, 200]) } });
    const sent = await read('cube_sent0');
    expect(sent.getChild('total')!.get(0)).toBe(300);
    expect(sent.getChild('type')!.get(0)).toBe('BIGINT');
    await client.prepare({ name: 'cube_sent1', sql: statement, params: [] }, { rows: { pack, ipc: new Uint8Array([1, 2, 3]) } });
    expect((await read('cube_sent1')).getChild('total')!.get(0)).toBe(45);
    // Rows sent for a pack no longer attached hold another dataset's figures: the engine scans.
    await client.prepare({ name: 'cube_sent2', sql: statement, params: [] }, { rows: { pack: 'another-pack.duckdb', ipc: rowsOf([100, 200]) } });
    expect((await read('cube_sent2')).getChild('total')!.get(0)).toBe(45);
  });

  it('answers press filters from a cube loaded from rows shaped as the server sends them', async () => {
    const presses = Object.keys(fixture.expected.meanCycleTime);
    const rejectRate = (press: string): ViewSpec => ({ ...meanOfPress(press), y: [{ field: 'reject', agg: 'reject_rate' }] });
    const { cube } = specToCubeSql(rejectRate(presses[0]!), context())!;
    // The rows the server would send, built as it builds them from plain values (strings as
    // dictionaries, whole numbers as doubles — here a count and a HUGEINT sum, which reach this
    // page as a decimal's four 32-bit words), less the last press's: a scan would have them.
    const scanned = tableFromIPC((await client.query(cube!.sql, cube!.params)).ipc);
    const plain = (value: unknown) => (typeof value === 'bigint' ? Number(value)
      : value instanceof Uint32Array ? Number(new BigInt64Array(value.buffer, value.byteOffset, 1)[0]) : value);
    const kept = [...Array(scanned.numRows).keys()].filter((i) => scanned.getChild('k_press')!.get(i) !== presses.at(-1));
    const columns = Object.fromEntries(scanned.schema.fields.map((field) => [field.name,
      vectorFromArray(kept.map((i) => plain(scanned.getChild(field.name)!.get(i))))]));
    await client.prepare(cube!, { rows: { pack: fixture.metadata.packFile, ipc: tableToIPC(new Table(columns), 'stream') } });
    for (const press of presses) {
      const raw = specToSql(rejectRate(press), context());
      const cubed = specToCubeSql(rejectRate(press), context())!;
      const direct = tableFromIPC((await client.query(raw.sql, raw.params)).ipc);
      const fromCube = tableFromIPC((await client.query(raw.sql, raw.params, { sql: cubed.sql, params: cubed.params, cube: cubed.cube! })).ipc);
      if (press === presses.at(-1)) expect(fromCube.numRows).toBe(0);
      else expect(fromCube.getChild('y0')!.get(0) as number).toBeCloseTo(direct.getChild('y0')!.get(0) as number, 9);
    }
  });

  it('stores the pack in OPFS in the background, then opens the stored copy without downloading', openStoredCopy);

  it('lets a second worker (another tab) open the stored pack while the first holds it', async () => {
    const second = new DuckDbClient(new Worker(new URL('./duckdb.worker', import.meta.url), { type: 'module' }));
    try {
      const { packFile, packUrl, packBytes } = fixture.metadata;
      expect((await second.open({ file: packFile, url: packUrl, bytes: packBytes }, false)).source).toBe('stored');
      const table = tableFromIPC((await second.query('SELECT count(*)::DOUBLE AS n FROM pack.records', [])).ipc);
      expect(table.getChild('n')!.get(0)).toBe(fixture.expected.rows);
      const first = tableFromIPC((await client.query('SELECT count(*)::DOUBLE AS n FROM pack.records', [])).ipc);
      expect(first.getChild('n')!.get(0)).toBe(fixture.expected.rows);
    } finally {
      second.terminate();
    }
  });

  it('hands back the rows of a cube it scanned for, which a later visit (another worker) loads instead of scanning', async () => {
    await stored;
    const { packFile, packUrl, packBytes } = fixture.metadata;
    const workers: DuckDbClient[] = [];
    /** A worker on the stored pack, and the rows it hands back unasked. */
    const visit = async () => {
      const handedBack: Extract<WorkerResponse, { type: 'scanned' }>[] = [];
      const worker = new DuckDbClient(new Worker(new URL('./duckdb.worker', import.meta.url), { type: 'module' }),
        (message) => message.type === 'scanned' && handedBack.push(message));
      workers.push(worker);
      expect((await worker.open({ file: packFile, url: packUrl, bytes: packBytes }, false)).source).toBe('stored');
      return { worker, handedBack };
    };
    const handedBackSoon = async (rows: unknown[]) => {
      const deadline = Date.now() + 10_000;
      while (!rows.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(rows.length).toBe(1);
    };
    const presses = Object.keys(fixture.expected.meanCycleTime);
    const cubedOf = (press: string) => {
      const cubed = specToCubeSql(meanOfPress(press), context())!;
      return { sql: cubed.sql, params: cubed.params, cube: cubed.cube! };
    };
    const { cube } = cubedOf(presses[0]!);
    try {
      const first = await visit();
      await first.worker.prepare(cube);
      await handedBackSoon(first.handedBack);
      const [{ cube: scannedCube, rows }] = first.handedBack as [Extract<WorkerResponse, { type: 'scanned' }>];
      expect(scannedCube).toEqual(cube);
      expect(rows.pack).toBe(packFile);
      expect(tableFromIPC(rows.ipc).numRows).toBeGreaterThan(0);
      // Still held: asked again, the engine scans nothing and hands nothing back.
      await first.worker.prepare(cube);
      await first.worker.query('SELECT 1', []);
      expect(first.handedBack.length).toBe(1);
      // Loaded from those rows, not scanned (nothing is handed back), and every press's figure is the JSON's.
      const later = await visit();
      await later.worker.prepare(cube, { rows });
      for (const press of presses) {
        const raw = specToSql(meanOfPress(press), context());
        const answer = tableFromIPC((await later.worker.query(raw.sql, raw.params, cubedOf(press))).ipc);
        expect(resultToTable(meanOfPress(press), specToCubeSql(meanOfPress(press), context())!, answer).rows[0]![1] as number)
          .toBeCloseTo(fixture.expected.meanCycleTime[press]!, 9);
      }
      expect(later.handedBack.length).toBe(0);
      // A query that fills the cube by scanning hands its rows back too.
      const third = await visit();
      const raw = specToSql(meanOfPress(presses[0]!), context());
      await third.worker.query(raw.sql, raw.params, cubedOf(presses[0]!));
      await handedBackSoon(third.handedBack);
      expect(tableFromIPC(third.handedBack[0]!.rows.ipc).numRows).toBe(tableFromIPC(rows.ipc).numRows);
    } finally {
      for (const worker of workers) worker.terminate();
    }
  });

  it('never prunes a pack another tab is reading', async () => {
    const second = new DuckDbClient(new Worker(new URL('./duckdb.worker', import.meta.url), { type: 'module' }));
    try {
      expect(await second.prune(['some-other-pack.duckdb'])).toBe(0);
      const { packFile, packUrl, packBytes } = fixture.metadata;
      expect((await second.open({ file: packFile, url: packUrl, bytes: packBytes }, false)).source).toBe('stored');
    } finally {
      second.terminate();
    }
  });

  it('says in words when a pack is not stored and may not be downloaded', async () => {
    const second = new DuckDbClient(new Worker(new URL('./duckdb.worker', import.meta.url), { type: 'module' }));
    try {
      const error = await second.open({ file: 'missing.duckdb', url: '/nowhere.duckdb', bytes: 10 }, false).then(() => null, (e: unknown) => e);
      expect(error instanceof WorkerError && error.reason).toBe('not-stored');
    } finally {
      second.terminate();
    }
  });

  it('reports SQL errors as messages', async () => {
    await expectAsync(client.query('SELECT nope FROM pack.records', [])).toBeRejectedWithError(/nope/);
  });
});

describe('DuckDbClient filling cubes ahead on a first visit', () => {
  it('fills the cubes asked for while the pack was read over HTTP once its stored copy is attached', async () => {
    const fixture = await (await fetch('/test-fixtures/fixture.json')).json() as Fixture;
    const root = await navigator.storage.getDirectory();
    await root.removeEntry('packs', { recursive: true }).catch(() => {});
    let storedNow: () => void;
    const stored = new Promise<void>((resolve) => (storedNow = resolve));
    const client = new DuckDbClient(new Worker(new URL('./duckdb.worker', import.meta.url), { type: 'module' }),
      (message) => message.type === 'stored' && storedNow());
    try {
      const { packFile, packUrl, packBytes, columns, timeRange } = fixture.metadata;
      expect((await client.open({ file: packFile, url: packUrl, bytes: packBytes }, true)).source).toBe('http');
      const press = Object.keys(fixture.expected.meanCycleTime)[0]!;
      const { cube } = specToCubeSql({ title: '', chart: 'bar', x: { kind: 'field', field: 'molding_machine_id' },
        y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: { presses: [press] } }, { columns, timeRange })!;
      await client.prepare(cube!);
      await stored;
      const filled = async () => tableFromIPC((await client.query('SELECT count(*)::DOUBLE AS n FROM duckdb_tables() WHERE table_name = ?',
        [cube!.name])).ipc).getChild('n')!.get(0) === 1;
      const deadline = Date.now() + 10_000;
      while (!(await filled()) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await filled()).toBeTrue();
    } finally {
      client.terminate();
    }
  }, 60_000);
});
