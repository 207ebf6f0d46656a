import { setFlagsFromString } from 'node:v8';
import { limitHeapGrowth } from './heap';

jest.mock('node:v8', () => ({ setFlagsFromString: jest.fn() }));

describe('limitHeapGrowth', () => {
  beforeEach(() => jest.mocked(setFlagsFromString).mockClear());

  it("sets V8's heap growing percent", () => {
    limitHeapGrowth(15);
    expect(setFlagsFromString).toHaveBeenCalledWith('--heap-growing-percent=15');
  });

  it('leaves V8 alone at 0', () => {
    limitHeapGrowth(0);
    expect(setFlagsFromString).not.toHaveBeenCalled();
  });
});
