// The tests measure signals with the testing kit's own analysis (src/testing/analysis.ts).
export { dominantFrequency, longestSilence, relativeLevelDb, rms, sine } from '../../src/testing/analysis';
