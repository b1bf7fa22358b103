/** The mp3 codec file (dist/runtime/codecs/mp3.js): tapedeck's MP3 writer on LAME, and the rebuilding of a crashed MP3. */
import { rebuildMp3 } from '../containers/mp3-rebuild';
import { createMp3Encoder, mp3KilobitRate } from '../encoders/mp3';
import { createMp3Engine, type Mp3EngineSources } from '../encoders/mp3-engines';
import type { ByteSink } from '../sinks/sink';
import type { WorkerEncoder, WorkerEncoderConfig } from '../encoders/encoder';
import { publishCodec } from './publish';

/** An MP3 encoder for `config` on the best LAME engine `sources` allow (see createMp3Encoder). */
async function openMp3Encoder(config: WorkerEncoderConfig, sink: ByteSink, live: ByteSink | null, sources: Mp3EngineSources): Promise<WorkerEncoder> {
  const kilobitRate = mp3KilobitRate(config.bitRate, config.sampleRate);
  const engine = await createMp3Engine({ channels: config.channels, sampleRate: config.sampleRate, kilobitRate }, sources);
  return createMp3Encoder(config, sink, live, engine);
}

const codec = { openMp3Encoder, rebuildMp3 };
/** What the mp3 codec file provides. */
export type Mp3Codec = typeof codec;
publishCodec('mp3', codec);
