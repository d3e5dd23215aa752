import { cubeRows, rowsWithin, type CubeRowSources } from './cube-rows';

describe('cubeRows', () => {
  const bytes = (n: number) => new Uint8Array([n]);
  /** Sources that record what was asked and kept. */
  function sources(kept: Uint8Array | null, online: boolean, answer: Uint8Array | Error): CubeRowSources & { asked: number; keptRows: Uint8Array[] } {
    const s = {
      asked: 0, keptRows: [] as Uint8Array[],
      kept: () => Promise.resolve(kept),
      online: () => online,
      ask: () => { s.asked++; return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer); },
      keep: (rows: Uint8Array) => { s.keptRows.push(rows); },
    };
    return s;
  }

  it('uses the rows kept on this device without asking the server, offline too', async () => {
    const offline = sources(bytes(1), false, bytes(2));
    expect(await cubeRows(offline)).toEqual(bytes(1));
    expect(offline.asked).toBe(0);
  });

  it('asks the server online when none are kept, and keeps what it sends', async () => {
    const online = sources(null, true, bytes(2));
    expect(await cubeRows(online)).toEqual(bytes(2));
    expect(online.keptRows).toEqual([bytes(2)]);
  });

  it('leaves the engine to fill the table offline with none kept, or when the server cannot send them', async () => {
    const offline = sources(null, false, bytes(2));
    expect(await cubeRows(offline)).toBeUndefined();
    expect(offline.asked).toBe(0);
    const refused = sources(null, true, new Error('the server is busy'));
    expect(await cubeRows(refused)).toBeUndefined();
    expect(refused.keptRows).toEqual([]);
  });

  it('waits for rows on their way only so long, then lets the engine scan', async () => {
    expect(await rowsWithin(Promise.resolve(bytes(3)), 50)).toEqual(bytes(3));
    const late = new Promise<Uint8Array>((resolve) => setTimeout(() => resolve(bytes(4)), 200));
    expect(await rowsWithin(late, 20)).toBeUndefined();
  });
});
