// npm run bench — prints the benchmark tables (markdown); asserts nothing.
// Options: --only encoders|dsp|stop|memory|outage|fidelity|tracks|compare (with the wake-up cost)  --tracks 8 --track-seconds 30
//          --dsp-seconds 60 (the worker's noise suppression and auto gain, in node)
//          --outage-seconds 60 --outage-down 30 (an MP3 take uploading, the server gone for part of it)
//          --fidelity-minutes 10 (holes in a long take against a bare capture of the same node)
//          --recorders tapedeck,recordrtc,… (compare: substrings of the names)  --compare-seconds 10,60
// `--only compare` (and the full run) also writes BENCHMARKS.md, unless --recorders picks some.  --seconds 10,60  --runs 3  --encoders wav,mp3,…  --memory-seconds 60
//          --long: the memory bench records 10 minutes, kept in memory and in OPFS; --hour: 60 minutes of WAV in OPFS
//          --memory-persist memory|opfs (one of them only)  --profiles disk,private (memory: a profile on disk, a private one, or both; disk by default)
import { arg, chromiumName, startServer } from './browser';
import { benchDsp } from './dsp';
import { benchEncoders, mp3SpeedTargetLine } from './encoders';
import { benchMemory } from './memory';
import { benchOutage } from './outage';
import { benchFidelity } from './fidelity';
import { benchStopLatency } from './stop-latency';
import { benchTracks } from './tracks';
import { benchCompare, stopPieceLines, targetLines, writeBenchInput } from './compare';
import { benchWakeups } from './wakeups';
import { measuredTargetLines, writeBenchmarksFile, writeMeasuredFile } from './report';

const only = arg('only', 'all');
const long = process.argv.includes('--long');
/** --hour: the memory bench records 60 minutes of WAV kept in OPFS (not in CI: it takes an hour). */
const hour = process.argv.includes('--hour');
const encoders = arg('encoders', 'wav,pcm16,mp3,opus,aac,flac').split(',');
const runs = Number(arg('runs', '3'));
const output: string[] = [`Chromium: ${chromiumName()}; 44.1 kHz stereo output (Opus 48 kHz); ${runs} fresh browsers per row, median (range).`, ''];
const encoderBench = () => benchEncoders(Number(arg('throughput-seconds', '60')), runs);
// The comparison prints the encoder table with its targets; alone, it is printed here.
const encoderRun = only === 'all' || only === 'encoders' ? await encoderBench() : null;
if (encoderRun && only === 'encoders') output.push('### Encoder throughput (node)', '', ...encoderRun.lines, '');
if (only === 'all' || only === 'dsp') {
  output.push('### Noise suppression and auto gain (node)', '', ...(await benchDsp(Number(arg('dsp-seconds', '60')))), '');
}
if (only !== 'encoders' && only !== 'dsp') {
  const server = await startServer();
  try {
    if (only === 'all' || only === 'stop') {
      output.push('### Stop latency (Chromium)', '', ...(await benchStopLatency(encoders, arg('seconds', '10,60').split(',').map(Number), runs)), '');
    }
    if (only === 'all' || only === 'memory') {
      // A profile on disk, as a user's normal window, and/or a private one (off the record).
      const named = [...new Set(arg('profiles', 'disk').split(','))];
      if (process.argv.includes('--off-the-record') || named.some((p) => p !== 'disk' && p !== 'private')) {
        throw new Error(`--profiles takes disk, private or disk,private (got ${named.join(',')}); --off-the-record is now --profiles disk,private`);
      }
      const profiles = named.map((profile) => profile === 'disk');
      const memoryEncoders = hour ? ['wav'] : arg('memory-encoders', 'wav,mp3').split(',');
      const kept = hour ? ['opfs' as const] : (['memory', 'opfs'] as const).filter((persist) => arg('memory-persist', persist) === persist);
      const variants = memoryEncoders.flatMap((encoder) => kept.flatMap((persist) => profiles.map((onDisk) => ({ encoder, persist, onDisk }))));
      const seconds = Number(arg('memory-seconds', hour ? '3600' : long ? '600' : '60'));
      const started = new Date();
      const table = await benchMemory(variants, seconds, long || hour ? 1 : runs);
      output.push('### Memory (Chromium)', '', ...table, '');
      // A long run is kept (BENCHMARKS.md quotes it): it does not fit in the comparison run.
      const file = profiles.every((onDisk) => !onDisk) ? `memory-${seconds}s-private` : `memory-${seconds}s`;
      if (long || hour) console.error(`wrote ${writeMeasuredFile(file, `Memory over ${seconds / 60}-minute takes (Chromium, one fresh browser per row)`, started, new Date(), table)}`);
    }
    if (only === 'all' || only === 'outage') {
      output.push('### Upload outage (Chromium)', '', ...(await benchOutage(Number(arg('outage-seconds', '60')), Number(arg('outage-down', '30')))), '');
    }
    if (only === 'all' || only === 'fidelity') {
      output.push('### Fidelity over a long take (Chromium)', '', ...(await benchFidelity(Number(arg('fidelity-minutes', '10')))), '');
    }
    if (only === 'all' || only === 'compare') {
      const lengths = arg('compare-seconds', long ? '10,60,600' : '10,60').split(',').map(Number);
      const recorders = arg('recorders', '') ? arg('recorders', '').split(',') : null;
      const started = new Date();
      const { lines, results } = await benchCompare(server, recorders, lengths, runs);
      const wakeups = await benchWakeups(writeBenchInput(10), runs);
      // In node, after the browsers have closed: the MP3 speed target is this table's.
      const throughput = encoderRun ?? (await encoderBench());
      const compared = [
        '### The recorders side by side (Chromium)',
        '',
        ...lines,
        '',
        "### tapedeck's stop, piece by piece (ms)",
        '',
        ...stopPieceLines(results),
        '',
        '### What waking the main thread costs here (Chromium, microphone open, no recorder)',
        '',
        ...wakeups.lines,
        '',
        '### What making the file at stop costs here (Chromium, microphone open, no recorder)',
        '',
        ...wakeups.blobLines,
        '',
        '### tapedeck against its targets',
        '',
        ...targetLines(results, wakeups.perTaskMs, wakeups.blobs),
        mp3SpeedTargetLine(throughput),
        ...measuredTargetLines(),
        '',
        '### Encoder throughput (node)',
        '',
        ...throughput.lines,
        '',
      ];
      output.push(...compared);
      // BENCHMARKS.md holds whole comparisons only: a run of some recorders just prints.
      if (!recorders) writeBenchmarksFile(compared, { runs, lengths, started, ended: new Date(), results });
    }
    if (only === 'all' || only === 'tracks') {
      output.push('### Track recording (Chromium)', '', ...(await benchTracks(Number(arg('tracks', '8')), Number(arg('track-seconds', '30')))), '');
    }
  } finally {
    server.kill();
  }
}
console.log(output.join('\n'));
