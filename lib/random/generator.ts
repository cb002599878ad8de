/**
 * The project's one seeded generator of uniform numbers: sfc32 (Chris Doty-Humphrey's Small Fast
 * Counting generator, 128-bit state, passes PractRand), its state spread from the seed by splitmix32.
 * Everything seeded in cnnlib draws from it: `seed()` installs it as Math.random for tfjs, and the
 * hand-written ops' random arrays, the RL environment, the attacks' random starts and the tests use
 * it directly. Math.random itself cannot be seeded.
 * @see notebooks/q06-fully-connected-vs-convolutional.ipynb
 */
import { argError } from '../errors';

/** splitmix32: spreads the bits of a (possibly small) seed over a full 32-bit word. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

/**
 * A generator of uniform numbers in [0, 1) with 32 random bits each (Math.random's contract),
 * reproducible from `seed` on every machine. Not for cryptography.
 * @param seed a safe integer (negative allowed); different seeds give unrelated streams
 * @returns a function returning the next number of the stream
 * @throws ArgError when seed is not a safe integer
 * @example const rand = seededRandom(42); rand();  // same value on every run
 * @see notebooks/q06-fully-connected-vs-convolutional.ipynb
 */
export function seededRandom(seed: number): () => number {
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) argError('seededRandom', 'seed', 'must be a safe integer', seed);
  const st = { s: seed | 0 };
  const hi = Math.floor(seed / 4294967296) | 0; // the upper bits of a safe integer seed count too
  let a = splitmix32(st);
  let b = splitmix32(st) ^ hi;
  let c = splitmix32(st);
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // discard the first outputs, as the reference does
  return next;
}
