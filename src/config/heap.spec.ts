import { setFlagsFromString } from 'node:v8';
import { tuneGarbageCollector } from './heap';

jest.mock('node:v8', () => ({ setFlagsFromString: jest.fn() }));

describe('tuneGarbageCollector', () => {
  beforeEach(() => jest.mocked(setFlagsFromString).mockClear());

  it("sets V8's heap growing percent and keeps scavenges on the main thread", () => {
    tuneGarbageCollector({ heapGrowingPercent: 15, parallelScavenge: false });
    expect(jest.mocked(setFlagsFromString).mock.calls).toEqual([
      ['--heap-growing-percent=15'],
      ['--no-parallel-scavenge'],
    ]);
  });

  it("leaves both to V8 at 0 and with parallel scavenges", () => {
    tuneGarbageCollector({ heapGrowingPercent: 0, parallelScavenge: true });
    expect(setFlagsFromString).not.toHaveBeenCalled();
  });
});
