import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatWallClock, type ClockPrecision } from './time-zone.js';

const PRECISIONS: ClockPrecision[] = ['day', 'minute', 'second', 'millisecond'];
const ISO_END: Record<ClockPrecision, number> = { millisecond: 23, second: 19, minute: 16, day: 10 };
/** What formatWallClock must write: the ISO string Date gives, cut at the precision, a space for the T. */
const byDate = (ms: number, precision: ClockPrecision) => new Date(ms).toISOString().slice(0, ISO_END[precision]).replace('T', ' ');

describe('formatWallClock', () => {
  it('writes what Date writes, for every precision, across leap years, centuries and before 1970', () => {
    const edges = [0, -1, 1, -0.5, 0.999, 951_782_400_000 /* 2000-02-29 */, 4_107_542_399_999 /* 2100-02-28 end */, -2_208_988_800_001,
      253_402_300_799_999 /* 9999-12-31 end */, -62_167_219_200_000 /* year 0 */, 1_758_463_205_250.7];
    let seed = 11;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const samples = [...edges, ...Array.from({ length: 20_000 }, () => Math.round((random() - 0.3) * 6e12) + (random() < 0.1 ? random() : 0))];
    for (const ms of samples) for (const precision of PRECISIONS) assert.equal(formatWallClock(ms, precision), byDate(ms, precision), `${ms} ${precision}`);
  });

  it('leaves years beyond 0000–9999 to Date', () => {
    assert.equal(formatWallClock(8.64e15, 'day'), byDate(8.64e15, 'day'));
    assert.equal(formatWallClock(-8.64e15, 'minute'), byDate(-8.64e15, 'minute'));
  });
});
