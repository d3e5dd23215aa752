import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runRuleSignals } from './run-rules.js';

const ALL = [1, 2, 3, 4] as const;

describe('Western Electric run rules', () => {
  it('rule 1: a point beyond 3σ on either side, and only rule 1 when only it is on', () => {
    assert.deepEqual(runRuleSignals([0, 3.2, -3.01, 2.99, null], [1]), [[], [1], [1], [], []]);
  });

  it('rule 2: two of three beyond 2σ on the same side, flagged on the point that completes it', () => {
    assert.deepEqual(runRuleSignals([2.5, 0, 2.1], [2]), [[], [], [2]]);
    assert.deepEqual(runRuleSignals([2.5, -2.5, 0.5], [2]), [[], [], []]);
    assert.deepEqual(runRuleSignals([-2.5, -2.2, 0], [2]), [[], [2], []]);
  });

  it('rule 3: four of five beyond 1σ on the same side', () => {
    assert.deepEqual(runRuleSignals([1.5, 1.2, 0.5, 1.1, 1.3], [3]).at(-1), [3]);
    assert.deepEqual(runRuleSignals([1.5, 1.2, 0.5, -1.1, 1.3], [3]).at(-1), []);
  });

  it('rule 4: eight in a row on one side of the center line', () => {
    const z = [0.1, 0.2, 0.3, 0.1, 0.5, 0.2, 0.4, 0.3, 0.2, -0.1];
    assert.deepEqual(runRuleSignals(z, [4]).map((r) => r.length), [0, 0, 0, 0, 0, 0, 0, 1, 1, 0]);
    assert.deepEqual(runRuleSignals(z.map((v) => -v), ALL).at(7), [4]);
  });

  it('names every rule a point signals; a gap (null) breaks nothing but never counts', () => {
    assert.deepEqual(runRuleSignals([2.5, 2.5, 3.5], ALL).at(-1), [1, 2]);
    assert.deepEqual(runRuleSignals([2.5, null, 2.5], [2]).at(-1), [2]);
  });
});
