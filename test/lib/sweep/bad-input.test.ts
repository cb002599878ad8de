// The generated bad-input sweep (see ./harness.ts): every public export of cnnlib, called with wrong
// types, NaN, Infinity, zero, negative, non-integer, empty, mismatched and huge arguments, must answer with
// the project's one-line error naming the function the user called (and leak no tensor), or with a result
// the table declares correct.
import { writeFileSync } from 'fs';
import { afterAll, describe, expect, it } from 'vitest';
import * as lib from '../../../lib/index';
import { casesOf, HUGE, runCase, type Entry, type Result } from './harness';
import { checkAndErrorEntries, opsEntries, randomTimingEntries } from './table-ops';
import { layerEntries } from './table-layers';
import { dataEntries, modelEntries, rlEntries } from './table-models';
import { gradEntries } from './table-grad';
import { displayEntries, vizEntries } from './table-viz';
import { backendEntries, EXEMPT, KNOWN } from './table-backend';

const GROUPS: [string, Entry[]][] = [
  ['errors and checks', checkAndErrorEntries],
  ['random and timing', randomTimingEntries],
  ['ops', opsEntries],
  ['backend', backendEntries],
  ['layers', layerEntries],
  ['models', modelEntries],
  ['data', dataEntries],
  ['rl', rlEntries],
  ['grad', gradEntries],
  ['viz', vizEntries],
  ['display', displayEntries],
];
const ALL = GROUPS.flatMap(([, es]) => es);
const results: Result[] = [];
// CNN_SWEEP_ONLY=name,name runs those entries; CNN_SWEEP_SKIP_HUGE=1 leaves out the huge sizes (to survey
// a library that has no bounds yet); CNN_SWEEP_REPORT=file writes every outcome as JSON.
const only = process.env.CNN_SWEEP_ONLY?.split(',');
const skipHuge = process.env.CNN_SWEEP_SKIP_HUGE === '1';

afterAll(() => {
  if (process.env.CNN_SWEEP_REPORT) writeFileSync(process.env.CNN_SWEEP_REPORT, JSON.stringify(results, null, 1));
});

describe('the sweep covers the public API', () => {
  it('has an entry for every exported function and class, or says why not', () => {
    const exported = Object.keys(lib).filter((k) => k !== 'tf' && typeof (lib as Record<string, unknown>)[k] === 'function');
    const covered = new Set(ALL.flatMap((e) => e.covers ?? e.names));
    expect(exported.filter((k) => !covered.has(k) && !(k in EXEMPT))).toEqual([]);
    expect(Object.keys(EXEMPT).filter((k) => !exported.includes(k))).toEqual([]);
    expect(exported.length).toBeGreaterThan(150);
  });
});

for (const [group, entries] of GROUPS) {
  describe(group, () => {
    for (const e of entries) {
      if (only && !only.includes(e.names[0])) continue;
      const cases = casesOf(e).filter((c) => !(skipHuge && HUGE.test(c.label)));
      it(`${e.names[0]}(${e.params.map((p) => p.name).join(', ')}): ${cases.length} bad calls`, async () => {
        const failed: string[] = [];
        for (const c of cases) {
          const r = await runCase(e, c);
          results.push(r);
          const key = `${r.fn}: ${r.label}`;
          if (r.outcome !== 'ok' && !(key in KNOWN)) failed.push(`${key} -> ${r.outcome}: ${r.detail}`);
        }
        expect(failed).toEqual([]);
      });
    }
  });
}
