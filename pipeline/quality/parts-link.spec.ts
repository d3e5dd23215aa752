import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SpecError } from '../spec-error.js';
import { decodePartsState, encodePartsState, type PartsPanelState } from './parts-link.js';

const state: PartsPanelState = {
  heading: 'molding-machine-2 · parts 16–20', mode: 'parts', filters: { presses: ['molding-machine-2'] },
  scope: { kind: 'sequence', field: 'CycleTime', press: 'molding-machine-2', firstRank: 15, lastRank: 19 },
  fields: ['CycleTime', 'Barrel1'], sort: { field: 'CycleTime', descending: true }, page: 2,
};

describe('parts panel link', () => {
  it('round-trips the panel state', () => assert.deepEqual(decodePartsState(encodePartsState(state)), state));
  it('refuses a damaged or hostile link with a SpecError', () => {
    assert.throws(() => decodePartsState('%%%'), SpecError);
    assert.throws(() => decodePartsState(encodePartsState({ ...state, scope: { kind: 'evil' } as never })), /unknown scope/);
  });
});
