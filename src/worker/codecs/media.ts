/**
 * The media codec file (dist/runtime/codecs/media.js): mediabunny, for Opus, AAC and FLAC and for remuxing
 * containers. It shares its mediabunny with the WebAssembly encoder files (aac-wasm.js, flac-wasm.js), which are
 * built against mediabunny-shared.ts and so register their encoders in this copy's registry.
 */
import { CustomAudioEncoder, EncodedPacket, Logging, registerEncoder } from 'mediabunny';
import { remux } from '../containers/remux';
import { createMediaEncoder } from '../encoders/media-encoder';
import { SHARED_MEDIABUNNY, type SharedMediabunny } from './mediabunny-key';
import { publishCodec } from './publish';

const shared: SharedMediabunny = { CustomAudioEncoder, EncodedPacket, Logging, registerEncoder };
(globalThis as Record<symbol, unknown>)[SHARED_MEDIABUNNY] = shared;

const codec = { createMediaEncoder, remux };
/** What the media codec file provides. */
export type MediaCodec = typeof codec;
publishCodec('media', codec);
