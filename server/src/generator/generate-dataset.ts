// Realistic synthetic inspection records in the dataset's format (see ../shared/dataset/SCHEMA.md):
// deterministic for a seed, streamed so any size fits in constant memory. Used by the tests, the
// demo and the benchmark, so the project never needs a dataset beside it.
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

export interface GeneratorOptions {
  records: number;
  seed?: number;
  machines?: number;
  /** ISO start time of the first record. */
  start?: string;
  days?: number;
  /** Probability that a machine-state value is null. */
  nullRate?: number;
  /** JSON indentation of each record (0 = one compact record per line). */
  indent?: number;
}

export type InspectionRecord = Record<string, unknown>;

const DEFECTS: ReadonlyArray<readonly [name: string, rate: number, threshold: number]> = [
  ['discoloration_defect', 0.087, 0.45], ['discoloration_patch_defect', 0.093, 0.4],
  ['flash_defect', 0.099, 0.5], ['short_defect', 0.101, 0.5], ['contamination_defect', 0.103, 0.35],
  ['splay_defect', 0.091, 0.4], ['burn_mark_defect', 0.103, 0.45], ['jetting_defect', 0.077, 0.5],
  ['flow_mark_defect', 0.07, 0.45], ['sink_mark_defect', 0.083, 0.4], ['knit_line_defect', 0.104, 0.55],
  ['void_defect', 0.093, 0.45], ['ejector_pin_mark_defect', 0.1, 0.5],
];
const EXTRA_REJECT = 0.085;

/** sfc32 seeded by a splitmix of the seed: small, fast and good enough for test data. */
function makeRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const next32 = () => {
    s = (s + 0x9e3779b9) | 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = next32(), b = next32(), c = next32(), d = next32();
  return () => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0; a = b ^ (b >>> 9); b = (c + (c << 3)) | 0; c = (c << 21) | (c >>> 11); c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
/** Fields that the real data carries as floats always get a fractional part. */
const fractional = (x: number, digits: number) => {
  const v = round(x, digits);
  return Number.isInteger(v) ? round(v + 10 ** -digits, digits) : v;
};

interface Press {
  id: string; ts: number; shots: number; cycle: number; melt: number; drift: number;
  clamp: number; shotSize: number; vpPos: number; cushion: number; hold: number; cool: number;
}

export function* generateRecords(options: GeneratorOptions): Generator<InspectionRecord> {
  const rand = makeRandom(options.seed ?? 1);
  const uniform = (lo: number, hi: number) => lo + (hi - lo) * rand();
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
  const machineCount = options.machines ?? 3;
  const start = Date.parse(options.start ?? '2025-09-20T04:00:00Z') / 1000;
  const spanSeconds = (options.days ?? 31) * 86400;
  const nullRate = options.nullRate ?? 0;
  const gap = (spanSeconds * machineCount) / Math.max(1, options.records);

  const presses: Press[] = Array.from({ length: machineCount }, (_, i) => ({
    id: `molding-machine-${i + 1}`, ts: start + rand() * Math.min(600, gap), shots: Math.floor(uniform(2e4, 9e5)),
    cycle: uniform(22.5, 25), melt: 5 * Math.round(uniform(84, 94)), drift: gauss(),
    clamp: [250, 300, 350, 400, 500][Math.floor(rand() * 5)]!, shotSize: uniform(1.8, 3.2),
    vpPos: uniform(0.45, 0.75), cushion: uniform(0.15, 0.35), hold: 25 * Math.round(uniform(28, 40)), cool: uniform(8, 14),
  }));

  for (let n = 0; n < options.records; n++) {
    let press = presses[0]!;
    for (const p of presses) if (p.ts < press.ts) press = p;
    const stoppage = rand() < 0.03;
    const temp = 4 * press.drift;
    const cycleTime = press.cycle + 0.2 * gauss() + (stoppage ? uniform(6, 36) : 0);
    const alarm = stoppage ? rand() < 0.7 : rand() < 0.002;
    const cushion = press.cushion + 0.01 * gauss();
    const peak = 1400 - 4 * temp + 10 * gauss();
    const zone = (offset: number) => fractional(press.melt + offset + temp + 0.8 * gauss(), 1);
    const state: Record<string, number | boolean | null> = {
      VtoPTime: fractional(1.2 + 0.01 * gauss(), 3), VtoPPos: fractional(press.vpPos + 0.004 * gauss(), 3), InjStartPos: fractional(press.shotSize + 0.004 * gauss(), 3),
      HoldSegment1PressureSP: press.hold, HoldSegment2PressureSP: press.hold - 50, HoldSegment3PressureSP: 0,
      HoldSegment4PressureSP: 0, HoldSegment5PressureSP: 0, HoldSegment1TimeSP: 2, HoldSegment2TimeSP: 1,
      HoldSegment3TimeSP: 0, HoldSegment4TimeSP: 0, VPTransferTimeSP: 10, VPTransferPositionSP: fractional(press.vpPos, 2),
      FillSegment1SP: 2.6, FillSegment2SP: 1.4, FillSegment3SP: 0, FillSegment4SP: 0, FillSegment5SP: 0,
      FillSegment1pressureSP: 1800, FillSegment2pressureSP: 1800, FillSegment3pressureSP: 0, FillSegment4pressureSP: 0,
      FillSegment5pressureSP: 0, FillSegmentXfer1to2SP: fractional(press.vpPos + 0.8, 2), FillSegmentXfer2to3SP: 0,
      FillSegmentXfer3to4SP: 0, FillSegmentXfer4to5SP: 0,
      H1TempSP: press.melt - 20, H2TempSP: press.melt - 10, H3TempSP: press.melt, H4TempSP: press.melt + 5,
      H5TempSP: press.melt + 10, H6TempSP: press.melt + 10, N1TempSP: press.melt + 15, N2TempSP: press.melt + 15,
      Barrel1: zone(-20), Barrel2: zone(-10), Barrel3: zone(0), Barrel4: zone(5), Barrel5: zone(10), Barrel6: zone(10),
      BarrelN1: zone(15), BarrelN2: zone(15),
      InjPeakPressure: Math.round(peak + 15), FillPeakPress: Math.round(peak), VtoPPress: Math.round(peak - 40),
      ClampForceSP: press.clamp, TonnageForceCV: Math.round(press.clamp * (1 + 0.01 * press.drift)),
      ShotSizeSP: fractional(press.shotSize, 2), PullBackBeforeSP: 0, PullBackAfterSP: 0,
      CushionMin: fractional(cushion - 0.02, 3), CushionFin: fractional(cushion, 3),
      ChargeTime: fractional(press.cool * 0.6 + 0.05 * gauss(), 2), CoolTimeSP: fractional(press.cool, 1),
      InjTimeSP: fractional(1.8, 2), ClampOpenTimeCV: fractional(1.6 + 0.02 * gauss(), 2),
      ClampCloseTimeCV: fractional(1.8 + 0.02 * gauss(), 2), EjFwdTimeCV: fractional(0.45 + 0.01 * gauss(), 2),
      EjRetTimeCV: fractional(0.45 + 0.01 * gauss(), 2), CycleTime: fractional(cycleTime, 2), ShotCount: press.shots,
      AlarmLED: alarm, BuzzerAlarm: alarm && rand() < 0.5, CycleStopFault: stoppage && rand() < 0.5,
    };
    if (nullRate > 0) for (const key in state) if (rand() < nullRate) state[key] = null;

    const detection: Record<string, unknown> = { reject: false };
    let anyDefect = false;
    for (const [name, rate, threshold] of DEFECTS) {
      const heat = name.includes('burn') || name.includes('discoloration') ? Math.exp(0.35 * press.drift - 0.06) : 1;
      const rejected = rand() < rate * heat;
      const value = rejected ? threshold + (1 - threshold) * (0.002 + 0.998 * rand() ** 1.5) : 0.998 * threshold * rand() ** 2.5;
      detection[name] = {
        reject: rejected,
        pixel_severity: { value: fractional(value, 6), reject: rejected, min_value: 0, max_value: 1, threshold },
      };
      anyDefect ||= rejected;
    }
    detection['label_detection'] = {};
    detection['reject'] = anyDefect || rand() < EXTRA_REJECT;

    yield {
      version: '1.0', timestamp: fractional(press.ts, 6), molding_machine_id: press.id,
      object_detection: detection, 'molding-machine-state': state,
    };
    const cycles = Math.max(1, Math.round((gap / press.cycle) * -Math.log(1 - rand())));
    press.shots += cycles;
    press.ts += cycles * press.cycle + (stoppage ? 40 : 0);
    press.drift = press.drift * 0.98 + 0.2 * gauss();
  }
}

/** Serialises records as one JSON array, indented like Python's json.dump(indent=K). */
export async function writeDataset(
  path: string, records: Iterable<InspectionRecord>, indent = 2,
): Promise<void> {
  const out = createWriteStream(path);
  const serialize = indent
    ? (r: InspectionRecord) => JSON.stringify([r], null, indent).slice(2, -2)
    : (r: InspectionRecord) => JSON.stringify(r);
  let buffer = '[\n';
  let first = true;
  for (const record of records) {
    buffer += (first ? '' : ',\n') + serialize(record);
    first = false;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(first ? '[]\n' : buffer + '\n]\n');
  await once(out, 'finish');
}
