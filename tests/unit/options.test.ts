import { describe, expect, it } from 'vitest';
import { AudioRecorder, DEFAULT_OPTIONS, TapedeckError } from '../../src/index';

// Constructing a recorder touches no browser API, so the whole table runs in node.
const BAD: Array<[string, unknown, RegExp]> = [
  ['encoder', 'mp5', /options\.encoder.*'wav'/],
  ['container', 'mkv', /options\.container.*'webm', 'ogg'/],
  ['encoder', 3, /options\.encoder/],
  ['encoder', '', /options\.encoder/],
  ['bitRate', '128k', /options\.bitRate.*integer/],
  ['bitRate', NaN, /options\.bitRate/],
  ['bitRate', -1, /options\.bitRate/],
  ['bitRate', 128_000.5, /options\.bitRate/],
  ['bitRate', 10_000_000, /options\.bitRate.*512000/],
  ['sampleRate', 0, /options\.sampleRate.*8000 and 192000/],
  ['sampleRate', 44_100.5, /options\.sampleRate/],
  ['sampleRate', 500_000, /options\.sampleRate/],
  ['sampleRate', NaN, /options\.sampleRate/],
  ['sampleRate', '44100', /options\.sampleRate/],
  ['channels', 3, /options\.channels.*1 or 2/],
  ['channels', 0, /options\.channels/],
  ['channels', '2', /options\.channels/],
  ['autoGain', 'yes', /options\.autoGain.*true, false or 'software'/],
  ['denoise', true, /options\.denoise.*'rnnoise' or false/],
  ['preRollMs', 5000, /options\.preRollMs/],
  ['cancelEcho', 1, /options\.cancelEcho/],
  ['suppressNoise', null, /options\.suppressNoise/],
  ['meterIntervalMs', 5, /options\.meterIntervalMs.*20/],
  ['upload', 'https://x/files/', /options\.upload.*object/],
  ['upload', { endpoint: 'ftp://x/files/' }, /options\.upload\.endpoint must be the http\(s\) URL of a tus server/],
  ['upload', { endpoint: 'https://x/files/', chunkSizeBytes: 10 }, /options\.upload\.chunkSizeBytes.*1024/],
  ['upload', { endpoint: 'https://x/files/', headers: { a: 1 } }, /options\.upload\.headers.*strings/],
  ['upload', { endpoint: 'https://x/files/', retryDelaysMs: [-1] }, /options\.upload\.retryDelaysMs/],
  ['upload', { endpoint: 'https://x/files/', url: 'y' }, /options\.upload\.url is not an upload option/],
  ['gain', -0.5, /options\.gain/],
  ['gain', NaN, /options\.gain/],
  ['gain', Infinity, /options\.gain/],
  ['gain', 100, /options\.gain.*16/],
  ['deviceId', 42, /options\.deviceId.*string/],
  ['deviceId', '', /options\.deviceId/],
  ['maxDurationMs', 0, /options\.maxDurationMs/],
  ['maxDurationMs', -100, /options\.maxDurationMs/],
  ['maxDurationMs', NaN, /options\.maxDurationMs/],
  ['timesliceMs', 5, /options\.timesliceMs/],
  ['timesliceMs', Infinity, /options\.timesliceMs/],
  ['workletUrl', {}, /options\.workletUrl/],
  ['workerUrl', 7, /options\.workerUrl/],
];

function thrown(fn: () => unknown): TapedeckError {
  try {
    fn();
  } catch (error) {
    if (error instanceof TapedeckError) return error;
    throw new Error(`threw something other than a TapedeckError: ${String(error)}`);
  }
  throw new Error('did not throw');
}

describe('AudioRecorder options', () => {
  for (const [field, value, message] of BAD) {
    it(`rejects ${field} = ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`, () => {
      const error = thrown(() => new AudioRecorder({ [field]: value } as never));
      expect(error.code).toBe('invalid-option');
      expect(error.message).toMatch(message);
    });
  }

  it('rejects an unknown option, naming it and the known ones', () => {
    const error = thrown(() => new AudioRecorder({ sampleRte: 16000 } as never));
    expect(error.code).toBe('invalid-option');
    expect(error.message).toMatch(/options\.sampleRte is not an option.*sampleRate/);
  });

  for (const options of [null, 42, 'wav', [1, 2]]) {
    it(`rejects ${JSON.stringify(options)} as the options object`, () => {
      expect(thrown(() => new AudioRecorder(options as never)).code).toBe('invalid-option');
    });
  }

  it('fills in the defaults and keeps what was given', () => {
    expect(new AudioRecorder().options).toEqual(DEFAULT_OPTIONS);
    const options = new AudioRecorder({ encoder: 'pcm16', sampleRate: 16000, channels: 1, gain: 0, deviceId: undefined }).options;
    expect(options).toMatchObject({ encoder: 'pcm16', sampleRate: 16000, channels: 1, gain: 0, bitRate: 128000, autoGain: false });
  });
});
