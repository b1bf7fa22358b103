/**
 * What 'mediabunny' is inside the aac-wasm and flac-wasm codec files: the mediabunny of the media codec file, which
 * loads them (so an encoder they register lands in the registry the muxers use, and mediabunny ships once).
 */
import { SHARED_MEDIABUNNY, type SharedMediabunny } from './mediabunny-key';

const shared = (globalThis as Record<symbol, SharedMediabunny | undefined>)[SHARED_MEDIABUNNY];
if (!shared) throw new Error('tapedeck: a WebAssembly encoder file was loaded before codecs/media.js.');

export const { CustomAudioEncoder, EncodedPacket, Logging, registerEncoder } = shared;
