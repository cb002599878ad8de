// tslab's hook for the running cell: setting it makes lib/display/kernel-output.ts believe it runs in
// a kernel. Shared by the tests of lib/display/.
import { createRequire } from 'module';
import { afterEach, vi } from 'vitest';

const jupyter = createRequire(__filename)('tslab/dist/jupyter') as { lastWriteDisplayData: unknown };

export interface Write {
  content: { data: Record<string, unknown>; transient: { display_id?: string } };
  update: boolean;
}

/** Install a fake kernel for the current test; returns the display_data writes it receives. */
export function fakeKernel(): Write[] {
  const writes: Write[] = [];
  jupyter.lastWriteDisplayData = (content: Write['content'], update: boolean) => writes.push({ content, update });
  return writes;
}

afterEach(() => {
  jupyter.lastWriteDisplayData = null;
  vi.restoreAllMocks();
});
