/** Where the media codec file leaves its mediabunny for the WebAssembly encoder files (see mediabunny-shared.ts). */
import type { CustomAudioEncoder as Encoder, EncodedPacket as Packet, Logging as Log, registerEncoder as register } from 'mediabunny';

/** The global the media codec file puts its mediabunny under. */
export const SHARED_MEDIABUNNY = Symbol.for('tapedeck.mediabunny');

/** The names @mediabunny/aac-encoder and @mediabunny/flac-encoder import. */
export interface SharedMediabunny {
  CustomAudioEncoder: typeof Encoder;
  EncodedPacket: typeof Packet;
  Logging: typeof Log;
  registerEncoder: typeof register;
}
