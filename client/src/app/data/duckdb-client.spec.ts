// Real DuckDB-WASM in the real worker, over a pack made by the server's own ingest: guards the
// storage-format match and the whole spec → SQL → Arrow path.
import type { DatasetInfo } from '../../../../pipeline/columns';
import { DuckDbClient } from './duckdb-client';
import type { WorkerResponse } from './worker-protocol';
import { specToSql } from '../../../../pipeline/spec-to-sql';
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
    const source = await client.open({ file: packFile, url: packUrl, bytes: packBytes }, true, (p) => stages.push(p.stage));
    expect(source).toBe('http');
    expect(stages).toContain('attaching');
  }, 60_000);

  afterAll(() => client.terminate());

  it('attaches the pack read-only and counts rows and rejects', async () => {
    const { table } = await client.query('SELECT count(*)::DOUBLE AS n, count_if(reject)::DOUBLE AS rejects FROM pack.records', []);
    expect(table.getChild('n')!.get(0)).toBe(fixture.expected.rows);
    expect(table.getChild('rejects')!.get(0)).toBe(fixture.expected.rejects);
  });

  it('answers a view spec with the same figures as the JSON, binding filter values', async () => {
    const spec: ViewSpec = { title: '', chart: 'bar', x: { kind: 'field', field: 'molding_machine_id' },
      y: [{ field: 'CycleTime', agg: 'avg' }], split: 'none', filters: { presses: ['molding-machine-1', "x' OR 1=1 --"] } };
    const query = specToSql(spec, { columns: fixture.metadata.columns, timeRange: fixture.metadata.timeRange });
    const { table } = await client.query(query.sql, query.params);
    const rows = resultToTable(spec, query, table).rows;
    expect(rows.length).toBe(1);
    expect(rows[0]![0]).toBe('molding-machine-1');
    expect(rows[0]![1] as number).toBeCloseTo(fixture.expected.meanCycleTime['molding-machine-1']!, 9);
  });

  it('stores the pack in OPFS in the background, then opens the stored copy without downloading', async () => {
    expect(await stored).toEqual({ type: 'stored', id: 1, file: fixture.metadata.packFile });
    const { packFile, packUrl, packBytes } = fixture.metadata;
    const source = await client.open({ file: packFile, url: packUrl, bytes: packBytes }, false);
    expect(source).toBe('stored');
  });

  it('reports SQL errors as messages', async () => {
    await expectAsync(client.query('SELECT nope FROM pack.records', [])).toBeRejectedWithError(/nope/);
  });
});
