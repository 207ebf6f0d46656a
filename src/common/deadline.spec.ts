import { deadline } from './deadline';

describe('deadline', () => {
  it('aborts its signal once the time is up', async () => {
    const { signal } = deadline(20);
    expect(signal.aborted).toBe(false);
    await new Promise((r) => setTimeout(r, 60));
    expect(signal.aborted).toBe(true);
  });

  it('never aborts once cleared', async () => {
    const { signal, clear } = deadline(20);
    clear();
    await new Promise((r) => setTimeout(r, 60));
    expect(signal.aborted).toBe(false);
  });
});
