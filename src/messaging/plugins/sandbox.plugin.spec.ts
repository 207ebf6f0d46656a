import { providerFor, recordingLogger } from '../../../test/utils/provider-kit';
import { SandboxPlugin } from './sandbox.plugin';

describe('SandboxPlugin', () => {
  const plugin = new SandboxPlugin();

  it('reads an inbound body posted in the standard format', async () => {
    const body = {
      from: '15083084809',
      to: ['15085710838'],
      cc: '15085710839',
      text: 'Hi',
      media: ['https://media.example/a.jpg', 7],
    };
    expect(await providerFor(plugin, {}).translateInbound('/v1/messaging/sandbox', body)).toEqual({
      from: '15083084809',
      to: ['15085710838'],
      cc: ['15085710839'],
      text: 'Hi',
      media: ['https://media.example/a.jpg'],
    });
  });

  it('refuses a body without from', () => {
    expect(() => plugin.fromProviderFormat({ logger: recordingLogger() }, '/', {})).toThrow(
      '"from" is missing',
    );
  });

  it('accepts every send with a fresh id and calls nobody', async () => {
    const provider = providerFor(plugin, {});
    const first = await provider.send({ from: '15085710838', to: '15083084809', text: 'x' });
    const second = await provider.send({ from: '15085710838', to: '15083084809', text: 'x' });
    expect(first).toEqual({
      id: expect.stringMatching(/^sandbox-[0-9a-f-]{36}$/),
      status: 'accepted',
      to: '15083084809',
    });
    expect((first as { id: string }).id).not.toBe((second as { id: string }).id);
  });
});
