/** The lamejs codec file (dist/runtime/codecs/lamejs.js): LAME in JavaScript, LGPL-3.0, for pages that forbid WebAssembly. */
import { createLamejsEngine } from '../encoders/lamejs-engine';
import { publishCodec } from './publish';

const codec = { createLamejsEngine };
/** What the lamejs codec file provides. */
export type LamejsCodec = typeof codec;
publishCodec('lamejs', codec);
