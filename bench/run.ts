// npm run bench — prints the benchmark tables (markdown); asserts nothing.
// Options: --only stop|memory  --seconds 10,60  --runs 3  --encoders wav,pcm16  --memory-seconds 60
import { arg, chromiumName, startServer } from './browser';
import { benchMemory } from './memory';
import { benchStopLatency } from './stop-latency';

const only = arg('only', 'all');
const encoders = arg('encoders', 'wav,pcm16').split(',');
const runs = Number(arg('runs', '3'));
const server = await startServer();
const output: string[] = [`Chromium: ${chromiumName()}; 44.1 kHz stereo output; ${runs} fresh browsers per row, median (range).`, ''];
try {
  if (only === 'all' || only === 'stop') {
    output.push('### Stop latency', '', ...(await benchStopLatency(encoders, arg('seconds', '10,60').split(',').map(Number), runs)), '');
  }
  if (only === 'all' || only === 'memory') {
    output.push('### Memory', '', ...(await benchMemory(encoders, Number(arg('memory-seconds', '60')), runs)), '');
  }
} finally {
  server.kill();
}
console.log(output.join('\n'));
